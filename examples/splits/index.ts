import type { SplitSpec } from 'read-write-split';
import { catalog } from './catalog';
import { inventory } from './inventory';
import { orders } from './orders';
import { telemetry } from './telemetry';

/** Every example split; `npm run synth` renders each into `out/`. */
export const exampleSplits: readonly SplitSpec[] = [orders, inventory, catalog, telemetry];
