/** Where `--access-log` writes: stdout for "-", else a file opened for appending. */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

export function openAccessLog(destination: string | undefined): Writable | undefined {
  if (destination === undefined) return undefined;
  if (destination === '-') return process.stdout;
  // Appending: several workers may share the file; each line is one write.
  return createWriteStream(destination, { flags: 'a' });
}
