/** The errors the object store reports with a code callers can branch on. */
import { keyString, type ObjectKey } from './object-key.js';

/** An op's expectedVersion did not match: the API answers 409 Conflict. Nothing was written. */
export class StaleVersionError extends Error {
  readonly code = 'ERR_TRIGGERWAY_STALE_VERSION';
  constructor(
    readonly key: ObjectKey,
    readonly expected: string,
    /** undefined when the object does not exist. */
    readonly actual: string | undefined,
  ) {
    super(
      `${keyString(key)} was expected at resourceVersion ${expected} but ` +
        (actual === undefined ? 'does not exist' : `is at resourceVersion ${actual}`),
    );
    this.name = 'StaleVersionError';
  }
}

/**
 * The log holds something other than whole, well-formed records where acknowledged writes
 * should be. Opening stops rather than skipping past it, because the record may be an
 * acknowledged write, and losing it could hand a host to another tenant.
 */
export class StoreCorruptError extends Error {
  readonly code = 'ERR_TRIGGERWAY_STORE_CORRUPT';
  constructor(
    readonly path: string,
    /** Byte offset of the bad record in the file. */
    readonly offset: number,
    problem: string,
  ) {
    super(
      `object store ${path} is corrupt at byte ${offset}: ${problem}. triggerway will not skip the record: it ` +
        `may be an acknowledged write, and skipping it could hand a host to another tenant. Restore the file from ` +
        `a backup or repair it.`,
    );
    this.name = 'StoreCorruptError';
  }
}
