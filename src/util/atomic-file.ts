/**
 * Small state files that must survive crashes whole: a reader sees the old content or the
 * new, never a torn write. A state file that is present but unreadable stops start-up
 * instead of being reset, because the state (trigger ages, host owners) decides which
 * tenant owns which host: forgetting it could hand one tenant's hosts to another.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes `data` to a temp file beside `path`, fsyncs it, renames it over `path`, fsyncs the directory. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true });
  // A dot name: manifest listings skip it should the data dir sit inside the manifest root.
  const temp = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = await open(temp, 'wx');
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(directory);
}

/** Makes the rename itself durable. */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    // Some platforms (Windows) cannot open or fsync a directory; the rename stands regardless.
    if (!['EISDIR', 'EPERM', 'EINVAL'].some((code) => isCode(error, code))) throw error;
  }
}

export class StateFileError extends Error {
  readonly code = 'ERR_TRIGGERWAY_STATE_FILE';
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(
      `state file ${path} ${problem}. triggerway will not reset it on its own: it records trigger ages and host ` +
        `owners, and forgetting them could hand one tenant's hosts to another. Restore it from a backup or repair ` +
        `it; delete it only if you accept that ownership is decided afresh from the manifests.`,
    );
    this.name = 'StateFileError';
  }
}

/**
 * Reads a JSON state file: undefined when it does not exist, else `decode(parsed)`.
 * `decode` checks the shape and throws an Error describing what is wrong; any such error,
 * a read error or invalid JSON becomes a StateFileError naming the file.
 */
export async function readJsonState<T>(path: string, decode: (value: unknown) => T): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw new StateFileError(path, `cannot be read (${(error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(path, `is not valid JSON (${(error as Error).message})`);
  }
  try {
    return decode(value);
  } catch (error) {
    throw new StateFileError(path, `is not a valid state file (${(error as Error).message})`);
  }
}

/** For `decode` functions: a JSON object, not null or an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}
