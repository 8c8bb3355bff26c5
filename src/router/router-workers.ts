/**
 * `--workers N`: N router processes (node:cluster) sharing the listener. The primary only
 * supervises: it restarts a worker that dies (after a pause, so a crash loop cannot spin),
 * knows which are routing, and stops them all with a drain.
 */
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../util/logger.js';
import { WORKER_FAILED_MESSAGE, WORKER_LISTENING_MESSAGE, WORKER_READY_MESSAGE, WORKER_SETTINGS_ENV, type WorkerSettings } from './worker-protocol.js';

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
  /** Until every worker first listens, a worker that fails ends the start instead of restarting. */
  #starting: { listening: Set<number>; resolve: (port: number) => void; reject: (error: Error) => void } | undefined;
  readonly #listening: Promise<number>;

  constructor(count: number, settings: (index: number) => WorkerSettings, log: Logger) {
    this.#settings = settings;
    this.#log = log;
    cluster.setupPrimary({ exec: WORKER_MAIN, args: [] });
    this.#listening = new Promise<number>((resolve, reject) => {
      this.#starting = { listening: new Set(), resolve, reject };
    });
    // Observed by whoever awaits listening(); never an unhandled rejection meanwhile.
    this.#listening.catch(() => {});
    for (let index = 0; index < count; index++) this.#fork(index);
  }

  /** The shared port, once every worker accepts on it; rejects if one cannot. */
  listening(): Promise<number> {
    return this.#listening;
  }

  get count(): number {
    return this.#workers.size;
  }

  /** Workers routing with a configuration. */
  get readyCount(): number {
    return this.#ready.size;
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

  #listened(index: number, port: number): void {
    const starting = this.#starting;
    if (starting === undefined) return;
    starting.listening.add(index);
    if (starting.listening.size < this.#workers.size) return;
    this.#starting = undefined;
    starting.resolve(port);
  }

  #failed(error: Error): void {
    const starting = this.#starting;
    if (starting === undefined) return;
    this.#starting = undefined;
    starting.reject(error);
  }

  #fork(index: number): void {
    const worker = cluster.fork({ [WORKER_SETTINGS_ENV]: JSON.stringify(this.#settings(index)) });
    this.#workers.set(index, worker);
    worker.on('message', (message: { type?: string; port?: number; error?: string }) => {
      if (message?.type === WORKER_LISTENING_MESSAGE) this.#listened(index, message.port ?? 0);
      if (message?.type === WORKER_FAILED_MESSAGE) this.#failed(new Error(message.error ?? 'the router worker could not listen'));
      if (message?.type !== WORKER_READY_MESSAGE) return;
      this.#ready.add(index);
      this.#log.info('router worker ready', { worker: index, pid: worker.process.pid, port: message.port });
    });
    worker.once('exit', (code, signal) => {
      this.#ready.delete(index);
      if (this.#stopping) return;
      if (this.#starting !== undefined) return this.#failed(new Error(`router worker ${index} exited (${signal ?? code}) before it listened`));
      this.#log.error('router worker exited; restarting it', { worker: index, pid: worker.process.pid, code, signal });
      setTimeout(() => {
        if (!this.#stopping) this.#fork(index);
      }, RESTART_DELAY_MS).unref();
    });
  }
}
