/**
 * The admin API's audit trail: one JSON line per refused request (401, 403) and per
 * successful write, answering "who changed this trigger" and "who is probing other
 * namespaces". An entry takes typed fields only and each line is built field by field, so
 * no header dump (and no token) can ride along; the path loses its query string, where a
 * client may have put a token (`?access_token=`). A failing log is reported once and then
 * dropped: auditing must never fail a request or take the admin API down.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import type { ApiScope } from '../api/api-types.js';

export type AuditEvent = 'denied' | 'unauthenticated' | 'write';

export interface AuditEntry {
  readonly event: AuditEvent;
  readonly method: string;
  /** The request path; any query string is cut off. */
  readonly path: string;
  readonly status: number;
  /** The token's name from the tokens file (never the token); absent for `unauthenticated`. */
  readonly token?: string;
  readonly scope?: ApiScope;
  readonly remoteAddress?: string;
  /** Why it was refused: the 401/403 message. */
  readonly reason?: string;
}

export interface AuditLogOptions {
  /** The log failed; no more lines are written. Called at most once. */
  readonly onError?: (error: Error) => void;
  readonly now?: () => Date;
}

/** Longest a string field (path, method, address, reason) gets in a line. */
const MAX_FIELD_CHARS = 2048;

export class AuditLog {
  /** Undefined when the file could not even be opened. */
  readonly #stream: Writable | undefined;
  /** The log opened the stream (a file), so closing the log ends it. */
  readonly #owned: boolean;
  readonly #options: AuditLogOptions;
  #failed = false;
  #closed = false;

  /** Appends to `path`, creating its directory. Never rejects: a path that cannot be opened is reported through onError. */
  static async open(path: string, options: AuditLogOptions = {}): Promise<AuditLog> {
    try {
      await mkdir(dirname(path), { recursive: true });
    } catch (error) {
      const log = new AuditLog(undefined, true, options);
      log.#fail(error as Error);
      return log;
    }
    const log = new AuditLog(createWriteStream(path, { flags: 'a' }), true, options);
    await once(log.#stream!, 'open').catch(() => undefined); // reported by the 'error' listener
    return log;
  }

  /** Writes to `stream` (stdout, a pipe); close() waits for it to drain but does not end it. */
  static toStream(stream: Writable, options: AuditLogOptions = {}): AuditLog {
    return new AuditLog(stream, false, options);
  }

  private constructor(stream: Writable | undefined, owned: boolean, options: AuditLogOptions) {
    this.#stream = stream;
    this.#owned = owned;
    this.#options = options;
    stream?.on('error', (error) => this.#fail(error));
  }

  /** Never throws; after a failure or close() it does nothing. */
  record(entry: AuditEntry): void {
    const stream = this.#stream;
    if (!stream || this.#failed || this.#closed) return;
    const line = JSON.stringify({
      time: (this.#options.now?.() ?? new Date()).toISOString(),
      event: entry.event,
      method: clip(entry.method),
      path: clip(entry.path.split('?')[0]!),
      status: entry.status,
      token: entry.token,
      scope: entry.scope && (entry.scope.role === 'tenant' ? { role: 'tenant', namespace: entry.scope.namespace } : { role: 'platform' }),
      remoteAddress: entry.remoteAddress === undefined ? undefined : clip(entry.remoteAddress),
      reason: entry.reason === undefined ? undefined : clip(entry.reason),
    });
    try {
      stream.write(`${line}\n`, (error) => error && this.#fail(error));
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  /** Flushes what was recorded; ends and closes the file this log opened. */
  async close(): Promise<void> {
    this.#closed = true;
    const stream = this.#stream;
    if (!stream || stream.destroyed) return;
    if (this.#owned) {
      stream.end();
      await once(stream, 'close').catch(() => undefined);
    } else if (stream.writableNeedDrain) {
      await Promise.race([once(stream, 'drain'), once(stream, 'close')]).catch(() => undefined);
    }
  }

  #fail(error: Error): void {
    if (this.#failed) return;
    this.#failed = true;
    if (this.#owned) this.#stream?.destroy();
    const report = this.#options.onError ?? ((warning: Error) => process.emitWarning(warning));
    report(new Error(`audit log failed, no more audit lines will be written: ${error.message}`));
  }
}

function clip(text: string): string {
  return text.length > MAX_FIELD_CHARS ? `${text.slice(0, MAX_FIELD_CHARS)}…` : text;
}
