import { SpiceImageSpec } from '../../lib/core';
import { ENTERPRISE_2 } from './splits';

/**
 * An Enterprise build of Spice trunk after 2.1 whose user says it ships `file_format: snapshot`
 * (no release is known to): the only image readers serve published snapshots directly with.
 */
export const ENTERPRISE_FILE_FORMAT: SpiceImageSpec = { ...ENTERPRISE_2, tag: '2.2.0-unstable-enterprise', snapshotFileFormat: true };

/** A valid image digest. */
export const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
