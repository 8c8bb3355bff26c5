/**
 * A request body limit enforced while streaming (RFC 9110 §15.5.14: 413). A declared
 * Content-Length over the limit is refused before anything is sent upstream; a chunked body
 * is counted as it passes and the exchange is aborted at the first byte over.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

class BodyLimit extends Transform {
  readonly #limit: number;
  #seen = 0;

  constructor(limit: number) {
    super();
    this.#limit = limit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.#limit) callback(new BodyTooLargeError(this.#limit));
    else callback(null, chunk);
  }
}

/** `body` as it should be handed to undici: itself, or a counting pass-through. */
export function limitedBody(body: Readable, declaredLength: string | undefined, limit: number): Readable {
  if (limit <= 0 || declaredLength !== undefined) return body;
  const limited = new BodyLimit(limit);
  body.on('error', (error) => limited.destroy(error));
  return body.pipe(limited);
}

/** Whether a declared Content-Length is over the limit (0: no limit). */
export function declaredTooLarge(declaredLength: string | undefined, limit: number): boolean {
  return limit > 0 && declaredLength !== undefined && Number(declaredLength) > limit;
}
