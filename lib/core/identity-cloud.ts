/** The cloud each workload identity type belongs to. */
const IDENTITY_CLOUDS: Readonly<Record<string, 'aws' | 'gcp' | 'azure'>> = {
  'aws-irsa': 'aws', 'aws-pod-identity': 'aws', 'gke-workload-identity': 'gcp', 'azure-workload-identity': 'azure',
};

/** The cloud of a workload identity type; undefined for a type that is none of the library's. */
export function identityCloud(type: unknown): 'aws' | 'gcp' | 'azure' | undefined {
  return typeof type === 'string' ? IDENTITY_CLOUDS[type] : undefined;
}
