/** The user and group of the spiced image (`USER 65534:65534`). */
export const SPICE_USER = 65534;

/**
 * Container security context meeting the Kubernetes "restricted" Pod Security Standard: non-root
 * with the image's user, no privilege escalation, every capability dropped, the runtime's default
 * seccomp profile and a read-only root filesystem (spiced writes only to mounted volumes).
 */
export function restrictedContainerSecurity() {
  return {
    runAsNonRoot: true,
    runAsUser: SPICE_USER,
    runAsGroup: SPICE_USER,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Pod security context for pods the library owns. */
export function restrictedPodSecurity() {
  return {
    runAsNonRoot: true,
    runAsUser: SPICE_USER,
    runAsGroup: SPICE_USER,
    fsGroup: SPICE_USER,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Namespace labels that make the API server enforce the restricted standard. */
export const RESTRICTED_NAMESPACE_LABELS = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
} as const;
