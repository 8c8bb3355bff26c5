/** Where `--access-log` writes: stdout for "-", else a file opened for appending. */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Logger } from '../util/logger.js';

/**
 * A failing log (a full disk, a removed directory) is reported once and then dropped: it
 * must never take the router down with it.
 */
export function openAccessLog(destination: string | undefined, log: Logger): Writable | undefined {
  if (destination === undefined) return undefined;
  if (destination === '-') return process.stdout;
  // Appending: several workers may share the file; each line is one write.
  const stream = createWriteStream(destination, { flags: 'a' });
  let failed = false;
  stream.on('error', (error) => {
    if (failed) return;
    failed = true;
    log.error('access log failed; no more access log lines', { path: destination, error: error.message });
    stream.destroy();
  });
  return stream;
}
