/**
 * Who a bearer token is. The table keeps only SHA-256 digests, so neither a heap dump nor a
 * stray log line of it holds a secret, and a lookup takes the same time whoever asks: the
 * presented token is hashed and its digest compared with every entry's, with no early
 * exit, so timing tells neither how close a guess came nor which entry it matched.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiScope } from '../api/api-types.js';

/** What a token grants: its name (what audit logs and metrics show, never the token) and scope. */
export interface TokenGrant {
  readonly name: string;
  readonly scope: ApiScope;
}

export interface TokenEntry extends TokenGrant {
  /** SHA-256 of the token's UTF-8 bytes. */
  readonly digest: Uint8Array;
}

const DIGEST_BYTES = 32;

export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export class TokenTable {
  readonly #entries: readonly { readonly digest: Buffer; readonly grant: TokenGrant }[];

  /** `entries` must have distinct digests (parseTokensFile refuses duplicates): a token matches at most one. */
  constructor(entries: readonly TokenEntry[]) {
    this.#entries = entries.map((entry) => {
      if (entry.digest.length !== DIGEST_BYTES) throw new Error(`token "${entry.name}": a digest must be ${DIGEST_BYTES} bytes`);
      const grant = Object.freeze({ name: entry.name, scope: Object.freeze({ ...entry.scope }) });
      return { digest: Buffer.from(entry.digest), grant };
    });
  }

  get size(): number {
    return this.#entries.length;
  }

  /** The grant of the entry whose token `presented` is; undefined for any other string. */
  lookup(presented: string): TokenGrant | undefined {
    const digest = tokenDigest(presented);
    let match: TokenGrant | undefined;
    for (const entry of this.#entries) {
      // Every entry is compared, also after a match: the loop's length never depends on the token.
      const equal = timingSafeEqual(entry.digest, digest);
      if (equal) match = entry.grant;
    }
    return match;
  }
}
