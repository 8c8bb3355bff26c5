/**
 * Stored values are shared between every reader of the store, and must read after a
 * restart exactly as they read before it; so they are plain JSON, deep-frozen.
 */

/** `value` and everything inside it, frozen in place. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/** What `value` becomes once written as JSON and read back (undefined fields gone, dates as strings), frozen. */
export function frozenJsonCopy(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : deepFreeze(JSON.parse(text) as unknown);
}
