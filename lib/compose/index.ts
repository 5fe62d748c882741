// Docker Compose: the reader of a split on a developer's laptop (plain objects and YAML, no framework).
export { composeYaml } from './compose-yaml';
export { DEFAULT_HELPER_IMAGE, DEFAULT_READY_TIMEOUT_SECONDS, readerCompose } from './reader-compose';
export type { ReaderCompose, ReaderComposeOptions } from './reader-compose';
export { GCP_CREDENTIALS_PATH } from './compose-credentials';
export { SERVICES as COMPOSE_SERVICES } from './compose-file';
export type { ComposeFile, ComposeMount, ComposePort, ComposeService } from './compose-file';
