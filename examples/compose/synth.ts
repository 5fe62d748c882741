/**
 * Writes the laptop reader of two example splits with Docker Compose into `<outDir>/<split>/`:
 * `compose.yaml` and the files it reads beside it (`spicepod.yaml`). Usage:
 * tsx examples/compose/synth.ts out/compose
 *
 * - orders (S3, OSS 1.11): the reader alone, for local tools, serving the accelerated `orders`.
 *   Its delegated `order_history` is left out: the writers' address is the in-cluster one.
 * - catalog (GCS, Enterprise 2.x: reads the developer's Application Default Credentials):
 *   the storefront beside its reader, serving the accelerated `products`.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SplitValidationError, synthesizeSplit } from 'read-write-split';
import type { SplitSpec } from 'read-write-split';
import { composeYaml, readerCompose, ReaderComposeOptions } from 'read-write-split/compose';
import { catalog } from '../splits/catalog';
import { orders } from '../splits/orders';

const LAPTOP_READERS: readonly { readonly spec: SplitSpec; readonly options: ReaderComposeOptions }[] = [
  { spec: orders, options: { datasets: ['orders'] } },
  {
    spec: catalog,
    options: {
      datasets: ['products'],
      app: {
        image: 'ghcr.io/acme/storefront:1.4.2',
        environment: { SPICE_HTTP_URL: 'http://127.0.0.1:8090', SPICE_FLIGHT_URL: 'grpc://127.0.0.1:50051' },
        ports: ['8080:8080'],
      },
      appName: 'storefront',
    },
  },
];

function main(outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  for (const { spec, options } of LAPTOP_READERS) {
    const result = readerCompose(synthesizeSplit(spec), options);
    const dir = join(outDir, result.instance.splitName);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'compose.yaml'), composeYaml(result));
    // World-readable (0644): spiced runs as uid 65534 and reads them through bind mounts.
    for (const [name, content] of Object.entries(result.files)) writeFileSync(join(dir, name), content, { mode: 0o644 });
    console.log(`${dir}/: ${readdirSync(dir).join(', ')}`);
  }
}

try {
  main(process.argv[2] ?? 'out/compose');
} catch (error) {
  if (!(error instanceof SplitValidationError)) throw error;
  console.error(error.message);
  process.exit(1);
}
