/**
 * `--workers N`: N router processes (node:cluster) sharing the listener. The primary only
 * supervises: it restarts a worker that dies (after a pause, so a crash loop cannot spin),
 * knows which are routing, and stops them all with a drain.
 */
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../util/logger.js';
import { WORKER_READY_MESSAGE, WORKER_SETTINGS_ENV, type WorkerSettings } from './worker-protocol.js';

const WORKER_MAIN = fileURLToPath(new URL('./worker-main.js', import.meta.url));
const RESTART_DELAY_MS = 1000;
/** A worker's own drain deadline plus margin; then it is killed. */
const STOP_DEADLINE_MS = 15_000;

export class RouterWorkers {
  readonly #settings: (index: number) => WorkerSettings;
  readonly #log: Logger;
  readonly #workers = new Map<number, Worker>();
  readonly #ready = new Set<number>();
  #stopping = false;

  constructor(count: number, settings: (index: number) => WorkerSettings, log: Logger) {
    this.#settings = settings;
    this.#log = log;
    cluster.setupPrimary({ exec: WORKER_MAIN, args: [] });
    for (let index = 0; index < count; index++) this.#fork(index);
  }

  get count(): number {
    return this.#workers.size;
  }

  /** Workers routing with a configuration. */
  get readyCount(): number {
    return this.#ready.size;
  }

  /** Resolves when every worker routes, or rejects when one exits first. */
  async started(): Promise<void> {
    if (this.#ready.size === this.#workers.size) return;
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (this.#ready.size === this.#workers.size) done(resolve);
      };
      const failed = (worker: Worker, code: number | null): void =>
        done(() => reject(new Error(`router worker ${worker.process.pid} exited with ${code} before it was ready`)));
      const done = (settle: () => void): void => {
        cluster.off('message', check);
        cluster.off('exit', failed);
        settle();
      };
      cluster.on('message', check);
      cluster.on('exit', failed);
    });
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    const exits = [...this.#workers.values()].map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          const kill = setTimeout(() => worker.process.kill('SIGKILL'), STOP_DEADLINE_MS);
          worker.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          worker.process.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
  }

  #fork(index: number): void {
    const worker = cluster.fork({ [WORKER_SETTINGS_ENV]: JSON.stringify(this.#settings(index)) });
    this.#workers.set(index, worker);
    worker.on('message', (message: { type?: string; port?: number }) => {
      if (message?.type !== WORKER_READY_MESSAGE) return;
      this.#ready.add(index);
      this.#log.info('router worker ready', { worker: index, pid: worker.process.pid, port: message.port });
    });
    worker.once('exit', (code, signal) => {
      this.#ready.delete(index);
      if (this.#stopping) return;
      this.#log.error('router worker exited; restarting it', { worker: index, pid: worker.process.pid, code, signal });
      setTimeout(() => {
        if (!this.#stopping) this.#fork(index);
      }, RESTART_DELAY_MS).unref();
    });
  }
}
