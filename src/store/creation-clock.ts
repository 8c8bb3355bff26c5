/**
 * Creation timestamps that order creates strictly. Admission ages triggers by
 * creationTimestamp at millisecond resolution, and the oldest claim to a host wins it, so
 * two creates must never share a millisecond, nor may a clock stepped back make a new
 * object look older than one created before it.
 */

/** max(now, last + 1 ms), as ISO 8601 UTC with milliseconds. */
export function nextCreationTimestamp(last: string | undefined, now: Date): string {
  const earliest = last === undefined ? -Infinity : Date.parse(last) + 1;
  const at = Math.max(now.getTime(), earliest);
  if (!Number.isFinite(at)) throw new RangeError(`the store clock gave an invalid date (${String(now)})`);
  return new Date(at).toISOString();
}

/** Whether `value` is a timestamp exactly as nextCreationTimestamp writes them. */
export function isCreationTimestamp(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;
}
