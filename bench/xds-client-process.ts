/**
 * The parent's side of bench/xds-client.ts: forks the client fleet into its own process
 * (by the path of the built xds-client.js next to this file), starts it, asks it for
 * receipts of a response version and stops it, failing on the first error it reports.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ClientFleetOptions, ParentMessage } from './xds-client.js';
import { sleep } from './xds-stats.js';

/** Node options that write a V8 CPU profile of the process into `dir`, if given. */
export const profArgs = (dir: string | undefined): string[] => (dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []);

/** The client fleet's process. */
export class ClientProcess {
  readonly #child: ChildProcess;
  readonly #waiters: ((message: ChildMessage) => boolean)[] = [];
  #failure: Error | undefined;
  #nextId = 0;

  constructor(profDir: string | undefined) {
    const script = fileURLToPath(new URL('./xds-client.js', import.meta.url));
    this.#child = fork(script, [], { execArgv: profArgs(profDir), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child.on('message', (message: ChildMessage) => {
      if (message.kind === 'error') this.#failure ??= new Error(`client process: ${message.message}`);
      const index = this.#waiters.findIndex((waiter) => waiter(message));
      if (index !== -1) this.#waiters.splice(index, 1);
    });
    this.#child.on('exit', (code) => {
      if (code !== 0) this.#failure ??= new Error(`client process exited with ${code}`);
    });
  }

  get failure(): Error | undefined {
    return this.#failure;
  }

  async start(options: ClientFleetOptions): Promise<void> {
    await this.#request({ kind: 'start', options }, (message) => message.kind === 'started');
  }

  async receipts(typeUrl: string, version: string): Promise<Extract<ChildMessage, { kind: 'receipts' }>> {
    const id = ++this.#nextId;
    const reply = await this.#request({ kind: 'receipts', typeUrl, version, id }, (message) => message.kind === 'receipts' && message.id === id);
    return reply as Extract<ChildMessage, { kind: 'receipts' }>;
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.send({ kind: 'stop' } satisfies ParentMessage);
    await Promise.race([exited, sleep(5_000)]);
    if (this.#child.exitCode === null) this.#child.kill();
  }

  #request(message: ParentMessage, matches: (reply: ChildMessage) => boolean): Promise<ChildMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`client process did not answer ${message.kind}`)), 30_000);
      this.#waiters.push((reply) => {
        if (!matches(reply)) return false;
        clearTimeout(timer);
        resolve(reply);
        return true;
      });
      this.#child.send(message);
    });
  }
}
