/**
 * One process per data directory. Two `serve`s on one directory would interleave appends
 * to the API store and overwrite each other's owners, so the second refuses to start. The
 * lock is a file holding the owner's pid, created exclusively; a lock whose process is gone
 * (killed with SIGKILL, the machine restarted) is stale and taken over.
 */
import { open, readFile, rm } from 'node:fs/promises';

export class LockedError extends Error {
  readonly code = 'ERR_TRIGGERWAY_LOCKED';
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(`${path} is held by process ${pid}: another triggerway serve uses this data directory; stop it or give this one another --data-dir`);
    this.name = 'LockedError';
  }
}

export interface PidLock {
  release(): Promise<void>;
}

export async function acquirePidLock(path: string, pid = process.pid): Promise<PidLock> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const file = await open(path, 'wx', 0o644);
      await file.writeFile(`${pid}\n`);
      await file.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // An empty file is a lock being taken this instant: give its writer a moment.
    const holder = (await holderOf(path)) ?? (await new Promise((resolve) => setTimeout(resolve, 50)), await holderOf(path));
    if (holder !== undefined && holder !== pid && running(holder)) throw new LockedError(path, holder);
    await rm(path, { force: true }); // stale: its process is gone
  }
  throw new Error(`could not take the lock ${path}`);
}

async function holderOf(path: string): Promise<number | undefined> {
  const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
