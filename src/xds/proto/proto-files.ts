/** Where the project's own Envoy protos live, and which files they are. */
import { existsSync, readdirSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** protos/ at the repository root; this module runs as dist/src/xds/proto/proto-files.js. */
export const PROTOS_DIR = fileURLToPath(new URL('../../../../protos/', import.meta.url));

/**
 * Every .proto file under `dir`, relative to it, '/'-separated and sorted: all of protos/
 * is loaded (and checked against upstream), so no list of files can fall out of date.
 */
export function protoFiles(dir: string): string[] {
  if (!existsSync(dir)) {
    throw new Error(`protos directory not found at ${dir}: it ships at the package root, next to package.json`);
  }
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.proto'))
    .map((file) => file.split(sep).join('/'))
    .sort();
}
