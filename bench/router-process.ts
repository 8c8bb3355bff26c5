/**
 * Child processes of bench/router (backend, proxies, load generator). Each runs in its own
 * process group (`detached`), so stopping it also stops whatever it forked (nginx's worker,
 * the router's workers), and every one started is stopped when the bench ends: normally,
 * on failure, on SIGINT/SIGTERM, or (last resort, synchronously) on exit. Their stdin is a
 * pipe left open, so the bench's own children can exit when it closes (the bench was killed).
 */
import { spawn, type ChildProcess } from 'node:child_process';

const running = new Set<BenchProcess>();

/** A child whose stdout and stderr lines can be awaited. */
export class BenchProcess {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  #waiters: ((line: string) => void)[] = [];
  #exited: Promise<number | null>;
  #done = false;

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
  ) {
    this.child = spawn(command, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(this);
    this.#exited = new Promise((resolve) => {
      // 'close', not 'exit': by then every line it wrote has been read.
      this.child.once('close', (code, signal) => {
        if (this.#done) return;
        this.#done = true;
        running.delete(this);
        this.#take(`[${name} exited: ${signal ?? `code ${code}`}]`);
        resolve(code);
      });
      this.child.once('error', (error) => {
        if (this.#done) return;
        this.#done = true;
        running.delete(this);
        this.#take(`[${name} failed to start: ${error.message}]`);
        resolve(null);
      });
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let buffer = '';
      stream.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) !== -1) {
          this.#take(buffer.slice(0, newline));
          buffer = buffer.slice(newline + 1);
        }
      });
    }
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no pid (did it start?)`);
    return this.child.pid;
  }

  get exitCode(): Promise<number | null> {
    return this.#exited;
  }

  get alive(): boolean {
    return !this.#done && this.child.pid !== undefined;
  }

  /** The first line (seen or to come) that `match` accepts; fails on exit or after `timeoutMs`. */
  waitForLine<T>(match: (line: string) => T | undefined, timeoutMs: number): Promise<T> {
    for (const line of this.lines) {
      const found = match(line);
      if (found !== undefined) return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((waiter) => waiter !== check);
        reject(new Error(`${this.name}: ${why}; its output:\n${this.tail()}`));
      };
      const timer = setTimeout(() => fail(`no ready line within ${timeoutMs} ms`), timeoutMs);
      const check = (line: string): void => {
        const found = match(line);
        if (found !== undefined) {
          clearTimeout(timer);
          this.#waiters = this.#waiters.filter((waiter) => waiter !== check);
          resolve(found);
        } else if (!this.alive) fail('exited before it was ready');
      };
      this.#waiters.push(check);
      if (this.#done) fail('exited before it was ready');
    });
  }

  /** The last lines of output, for error messages. */
  tail(count = 30): string {
    return this.lines.slice(-count).join('\n');
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`. */
  async stop(graceMs = 3_000): Promise<void> {
    if (this.child.pid === undefined) return;
    if (!this.alive) return signalGroup(this.pid, 'SIGKILL');
    signalGroup(this.pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(this.pid, 'SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
    // The leader is gone; anything it left behind in its group goes too.
    signalGroup(this.pid, 'SIGKILL');
  }

  #take(line: string): void {
    this.lines.push(line);
    if (this.lines.length > 1_000) this.lines.splice(0, this.lines.length - 1_000);
    for (const waiter of [...this.#waiters]) waiter(line);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop()));
}

/** Stops every child on SIGINT/SIGTERM (then exits 130/143) and kills them on any exit. */
export function stopChildrenOnExit(): void {
  const onSignal = (signal: NodeJS.Signals, code: number): void => {
    console.error(`\n${signal}: stopping ${running.size} child process(es)`);
    void stopAll().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => onSignal('SIGINT', 130));
  process.once('SIGTERM', () => onSignal('SIGTERM', 143));
  process.once('exit', () => {
    for (const child of running) if (child.child.pid !== undefined) signalGroup(child.child.pid, 'SIGKILL');
  });
}
