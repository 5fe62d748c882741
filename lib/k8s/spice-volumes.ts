import { Json } from './manifest';
import { sizeLimit } from './quantities';

/** Size of spiced's scratch `/tmp` in every pod. */
export const TMP_SIZE = '1Gi';

/** A size-limited emptyDir: the one way the library renders scratch and restore volumes. */
export function emptyDirVolume(name: string, size: string): Json {
  return { name, emptyDir: { sizeLimit: sizeLimit(size) } };
}

/** A volume holding a Spicepod ConfigMap. */
export function configMapVolume(name: string, configMap: string): Json {
  return { name, configMap: { name: configMap } };
}
