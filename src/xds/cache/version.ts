/**
 * Version strings that are unique across restarts and replicas (xDS rule R39): an Envoy
 * that reconnects to another instance must never find "its" version already current there.
 * A random instance prefix plus a snapshot sequence number does that and stays short,
 * which matters because delta streams keep one version per resource per client.
 */
import { randomBytes } from 'node:crypto';

export class VersionSequence {
  /** 48 random bits, URL-safe: `tw1.Xk3a9Q_b`. */
  readonly prefix: string;
  #seq = 0;

  constructor(prefix = `tw1.${randomBytes(6).toString('base64url')}`) {
    this.prefix = prefix;
  }

  /** The version `next()` would return, without taking it (a build may turn out unchanged). */
  peek(): { readonly seq: number; readonly version: string } {
    const seq = this.#seq + 1;
    return { seq, version: `${this.prefix}.${seq}` };
  }

  /** Takes the next version and its sequence number (1, 2, …). */
  next(): { readonly seq: number; readonly version: string } {
    const next = this.peek();
    this.#seq = next.seq;
    return next;
  }
}
