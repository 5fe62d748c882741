import { quote } from './errors';

const FLOATING_TAG = /^(latest|stable|nightly)(-|$)/;

// The OCI distribution reference grammar (distribution/reference): `repository[:tag][@digest]`.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const MAX_REPOSITORY_LENGTH = 255;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * A repository of Amazon ECR (the Enterprise image's AWS Marketplace registry), whose docker
 * credentials last 12 hours: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/`, or the
 * dual-stack `<account>.dkr-ecr.<region>.on.aws/`.
 */
export const ECR_REPOSITORY = /^\d{12}\.(dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?|dkr-ecr\.[a-z0-9-]+\.on\.aws)\//;

/** A container image reference in parts: `repository[:tag][@digest]`. */
export interface ImageReferenceParts {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** What is wrong with one part of an image reference, and how to fix it. */
export interface ImageProblem {
  readonly message: string;
  readonly fix: string;
}

/** Splits `repository[:tag][@digest]`; a `:` before the last `/` is a registry's port, not a tag. */
export function splitImageReference(reference: string): ImageReferenceParts {
  const at = reference.indexOf('@');
  const named = at < 0 ? reference : reference.slice(0, at);
  const digest = at < 0 ? undefined : reference.slice(at + 1);
  const colon = named.lastIndexOf(':');
  if (colon <= named.lastIndexOf('/')) return { repository: named, digest };
  return { repository: named.slice(0, colon), tag: named.slice(colon + 1), digest };
}

/** Joins the parts as a container spec's `image`: `repository:tag@digest`. */
export function imageReference(parts: ImageReferenceParts): string {
  return `${parts.repository}${parts.tag === undefined ? '' : `:${parts.tag}`}${parts.digest === undefined ? '' : `@${parts.digest}`}`;
}

/** Checks a repository name against the OCI reference grammar, e.g. `registry.example.com:5000/ns/name`. */
export function repositoryProblem(repository: unknown): ImageProblem | undefined {
  if (typeof repository === 'string' && repository.length <= MAX_REPOSITORY_LENGTH && REPOSITORY.test(repository)) return undefined;
  const tooLong = typeof repository === 'string' && repository.length > MAX_REPOSITORY_LENGTH;
  return {
    message: `${quote(repository)} is not an image repository${tooLong ? ` (longer than ${MAX_REPOSITORY_LENGTH} characters)` : ''}`,
    fix: "use an optional registry host[:port] and '/', then lowercase path components (letters and digits, joined by '.', '_', '__' or '-') separated by '/', e.g. 'registry.example.com:5000/team/spiceai'",
  };
}

/** Checks a tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`. */
export function tagProblem(tag: unknown, example: string): ImageProblem | undefined {
  if (typeof tag === 'string' && TAG.test(tag)) return undefined;
  return {
    message: `${quote(tag)} is not an image tag`,
    fix: `use letters, digits, '_', '.' and '-' (at most 128, not starting with '.' or '-'), e.g. '${example}'`,
  };
}

/** Checks a digest: `sha256:` and 64 lowercase hex digits. */
export function digestProblem(digest: unknown): ImageProblem | undefined {
  if (typeof digest === 'string' && DIGEST.test(digest)) return undefined;
  return {
    message: `${quote(digest)} is not an image digest`,
    fix: "use 'sha256:' and the 64 lowercase hex digits the registry reports for the image (e.g. 'crane digest <image>')",
  };
}

/** A tag that moves between releases (`latest`, `stable-models`, ...). */
export function isFloatingTag(tag: string): boolean {
  return FLOATING_TAG.test(tag);
}

/**
 * Problems of an image that must be pinned: a valid reference with a tag that does not float, or
 * a digest. `example` is a pinned reference the fix can show.
 */
export function pinnedImageProblems(reference: unknown, example: string): ImageProblem[] {
  if (typeof reference !== 'string' || reference === '') {
    return [{ message: `${quote(reference)} is not an image reference`, fix: `pin one, e.g. '${example}'` }];
  }
  const parts = splitImageReference(reference);
  const exampleTag = splitImageReference(example).tag ?? '1.0.0';
  const problems = [
    repositoryProblem(parts.repository),
    parts.tag === undefined ? undefined : tagProblem(parts.tag, exampleTag),
    parts.digest === undefined ? undefined : digestProblem(parts.digest),
  ].filter((problem): problem is ImageProblem => problem !== undefined);
  if (parts.tag === undefined && parts.digest === undefined) {
    problems.push({ message: `${quote(reference)} has no tag or digest: each pull takes whatever 'latest' is then`, fix: `pin a tag or a digest, e.g. '${example}'` });
  } else if (parts.digest === undefined && parts.tag !== undefined && isFloatingTag(parts.tag)) {
    problems.push({ message: `${quote(reference)} has a floating tag: each pull may take another version`, fix: `pin a release tag or a digest, e.g. '${example}'` });
  }
  return problems;
}
