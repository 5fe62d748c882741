import { RoleAssignment } from '@pulumi/azure-native/authorization';
import { FederatedIdentityCredential, UserAssignedIdentity } from '@pulumi/azure-native/managedidentity';
import { PrivateDnsZoneGroup, PrivateEndpoint } from '@pulumi/azure-native/network';
import { PrivateZone, VirtualNetworkLink } from '@pulumi/azure-native/privatedns';
import { BlobContainer, BlobServiceProperties, ManagementPolicy, StorageAccount } from '@pulumi/azure-native/storage';
import { Account } from '@pulumi/gcp/serviceaccount/account';
import { IAMMember } from '@pulumi/gcp/serviceaccount/iammember';
import { Bucket } from '@pulumi/gcp/storage/bucket';
import { BucketIAMMember } from '@pulumi/gcp/storage/bucketIAMMember';
import { ResourceClasses } from './pulumi';

/** The provider classes the hand-written programs use, by type token. */
export const PULUMI_CLASSES: ResourceClasses = {
  'gcp:storage/bucket:Bucket': Bucket,
  'gcp:storage/bucketIAMMember:BucketIAMMember': BucketIAMMember,
  'gcp:serviceaccount/account:Account': Account,
  'gcp:serviceaccount/iAMMember:IAMMember': IAMMember,
  'azure-native:storage:StorageAccount': StorageAccount,
  'azure-native:storage:BlobServiceProperties': BlobServiceProperties,
  'azure-native:storage:BlobContainer': BlobContainer,
  'azure-native:storage:ManagementPolicy': ManagementPolicy,
  'azure-native:network:PrivateEndpoint': PrivateEndpoint,
  'azure-native:network:PrivateDnsZoneGroup': PrivateDnsZoneGroup,
  'azure-native:privatedns:PrivateZone': PrivateZone,
  'azure-native:privatedns:VirtualNetworkLink': VirtualNetworkLink,
  'azure-native:managedidentity:UserAssignedIdentity': UserAssignedIdentity,
  'azure-native:managedidentity:FederatedIdentityCredential': FederatedIdentityCredential,
  'azure-native:authorization:RoleAssignment': RoleAssignment,
} as unknown as ResourceClasses;
