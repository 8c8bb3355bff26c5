/**
 * Loading objects.log at open. Whole records are replayed in order; a record cut off by a
 * crash at the very end was never acknowledged, so it is cut off the file and reported.
 * Anything else that does not read as whole, well-formed, consistent records stops the
 * open: no part of it is loaded, and nothing is skipped.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../util/atomic-file.js';
import { LogFile } from './log-file.js';
import { scanLog } from './log-frame.js';
import { decodeRecord } from './log-record.js';
import { ObjectIndex } from './object-index.js';
import { StoreCorruptError } from './store-errors.js';

export interface ReplayedLog {
  readonly index: ObjectIndex;
  /** Open for appends after the last whole record. */
  readonly log: LogFile;
}

/** Creates the log when it does not exist. Rejects with a StoreCorruptError naming the offset of a bad record. */
export async function replayLog(path: string, warn: (message: string) => void): Promise<ReplayedLog> {
  const bytes = await readOrCreate(path);
  const scan = scanLog(bytes);
  if (scan.corrupt) throw new StoreCorruptError(path, scan.corrupt.offset, scan.corrupt.problem);
  const index = new ObjectIndex();
  for (const frame of scan.frames) {
    frame.records.forEach((line, position) => {
      try {
        index.apply(decodeRecord(line));
      } catch (error) {
        const which = frame.records.length > 1 ? `record ${position + 1} of the ${frame.records.length} written together here: ` : '';
        throw new StoreCorruptError(path, frame.offset, `${which}${(error as Error).message}`);
      }
    });
  }
  const log = await LogFile.open(path);
  if (scan.torn) {
    try {
      await log.cutTo(scan.end);
    } catch (error) {
      await log.close();
      throw error;
    }
    warn(
      `${path}: cut off ${scan.torn.size} bytes at byte ${scan.torn.offset}, a record a crash interrupted before ` +
        `it was acknowledged (${scan.torn.problem})`,
    );
  }
  return { index, log };
}

async function readOrCreate(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // Atomically, so that the directory entry is fsynced before the first append relies on it.
  await writeFileAtomic(path, '');
  return Buffer.alloc(0);
}
