import { PrefixAccess } from './access-plan';

/** An Azure role assignment condition (Azure ABAC), as RoleAssignment takes it. */
export interface AzureRoleCondition {
  readonly condition: string;
  readonly conditionVersion: '2.0';
}

const READ = "ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'}";
const CONTAINER = '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]';
const PATH = '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path]';
const LIST_PREFIX = '@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix]';

/**
 * The condition that keeps a container-scoped read role to one prefix: blobs are read under the
 * prefix only, and listed only with a prefix inside it (spiced's object store lists with the
 * location's path and a trailing `/`). Microsoft's documented form ("Read or list blobs in named
 * containers with a path"); the daily archive and anything else in the container stay out of reach.
 */
export function azureBlobReadCondition(container: string, grant: PrefixAccess): AzureRoleCondition {
  if (grant.access !== 'read') throw new Error(`azureBlobReadCondition keeps read grants only, not ${grant.access}`);
  const inContainer = `${CONTAINER} StringEquals '${container}'`;
  const reads = `((!(${READ} AND NOT SubOperationMatches{'Blob.List'})) OR (${inContainer} AND ${PATH} StringStartsWith '${grant.prefix}'))`;
  const lists = `((!(${READ} AND SubOperationMatches{'Blob.List'})) OR (${inContainer} AND ${LIST_PREFIX} StringStartsWith '${grant.prefix}'))`;
  return { condition: `${reads} AND ${lists}`, conditionVersion: '2.0' };
}
