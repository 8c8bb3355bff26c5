/** Reading JSON of unknown shape (answers, manifests) without trusting it. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
