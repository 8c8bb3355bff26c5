/**
 * objects.log on disk: appends that are durable when they resolve, and replacement of the
 * whole file for compaction. A failed append is cut back off the file, so that the next
 * append does not land after half a record; if even that fails, the file refuses all
 * further writes until a restart has replayed it.
 */
import { open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';

export class LogFile {
  readonly #path: string;
  #handle: FileHandle;
  #size: number;
  #broken: Error | undefined;

  static async open(path: string): Promise<LogFile> {
    const handle = await open(path, 'r+');
    try {
      return new LogFile(path, handle, (await handle.stat()).size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  private constructor(path: string, handle: FileHandle, size: number) {
    this.#path = path;
    this.#handle = handle;
    this.#size = size;
  }

  get size(): number {
    return this.#size;
  }

  /** Writes `bytes` at the end and fdatasyncs (which also makes the new length durable). */
  async append(bytes: Uint8Array): Promise<void> {
    if (this.#broken) throw this.#broken;
    try {
      for (let done = 0; done < bytes.length; ) {
        done += (await this.#handle.write(bytes, done, bytes.length - done, this.#size + done)).bytesWritten;
      }
      await this.#handle.datasync();
    } catch (error) {
      await this.cutTo(this.#size).catch((cutError: unknown) => {
        this.#broken = new Error(`${this.#path} could not be cut back after a failed write; restart to replay it`, { cause: cutError });
      });
      throw error;
    }
    this.#size += bytes.length;
  }

  /** Truncates the file to `size` bytes, durably. */
  async cutTo(size: number): Promise<void> {
    await this.#handle.truncate(size);
    await this.#handle.datasync();
    this.#size = size;
  }

  /**
   * Replaces the whole file atomically (temp file, fsync, rename, directory fsync). Should
   * it fail part-way, the file holds the old content or the new: both read as the same state.
   */
  async replace(bytes: Uint8Array): Promise<void> {
    if (this.#broken) throw this.#broken;
    try {
      await writeFileAtomic(this.#path, bytes);
    } finally {
      // The handle still points at the file that was renamed over.
      try {
        const handle = await open(this.#path, 'r+');
        await this.#handle.close();
        this.#handle = handle;
        this.#size = (await handle.stat()).size;
      } catch (error) {
        this.#broken = new Error(`${this.#path} could not be reopened after compaction; restart to replay it`, { cause: error });
      }
    }
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}

/**
 * Removes the temp files of compactions a crash cut short, before their rename: the log
 * beside them is whole. The pattern is writeFileAtomic's temp name for `file`.
 */
export async function removeCompactionLeftovers(dir: string, file: string): Promise<string[]> {
  const leftover = new RegExp(`^\\.${file.replaceAll('.', '\\.')}\\.[0-9a-f]{12}\\.tmp$`);
  const names = (await readdir(dir)).filter((name) => leftover.test(name));
  for (const name of names) await rm(join(dir, name), { force: true });
  return names;
}
