/**
 * A strict, error-collecting reader for decoded YAML/JSON values. Every problem is recorded
 * with its field path and decoding carries on, so one pass reports everything wrong with a
 * document instead of the first thing.
 */
import { describeValue, fieldPath, type FieldIssue } from './issues.js';

export type Fields = Record<string, unknown>;

export class Decoder {
  readonly issues: FieldIssue[] = [];

  report(field: string, message: string): void {
    this.issues.push({ field, message });
  }

  get ok(): boolean {
    return this.issues.length === 0;
  }

  object(value: unknown, field: string): Fields | undefined {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Fields;
    this.report(field, value === undefined ? 'required' : `must be an object, got ${describeValue(value)}`);
    return undefined;
  }

  /** Reports every key of `fields` that is not in `known`, suggesting the nearest one. */
  knownFields(fields: Fields, field: string, known: readonly string[]): void {
    for (const key of Object.keys(fields)) {
      if (known.includes(key)) continue;
      const near = nearest(key, known);
      const hint = near ? `; did you mean "${near}"?` : ` (known: ${known.join(', ')})`;
      this.report(fieldPath(field, key), `unknown field${hint}`);
    }
  }

  string(fields: Fields, key: string, parent: string, required: boolean): string | undefined {
    const value = fields[key];
    const field = fieldPath(parent, key);
    if (value === undefined || value === null) {
      if (required) this.report(field, 'required');
      return undefined;
    }
    if (typeof value === 'string') return value;
    this.report(field, `must be a string, got ${describeValue(value)}`);
    return undefined;
  }

  integer(fields: Fields, key: string, parent: string, min: number, max: number): number | undefined {
    const value = fields[key];
    if (value === undefined || value === null) return undefined;
    const field = fieldPath(parent, key);
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.report(field, `must be a whole number, got ${describeValue(value)}`);
      return undefined;
    }
    if (value < min || value > max) {
      this.report(field, `must be between ${min} and ${max}, got ${value}`);
      return undefined;
    }
    return value;
  }

  list(fields: Fields, key: string, parent: string, maxItems: number): unknown[] | undefined {
    const value = fields[key];
    if (value === undefined || value === null) return undefined;
    const field = fieldPath(parent, key);
    if (!Array.isArray(value)) {
      this.report(field, `must be a list, got ${describeValue(value)}`);
      return undefined;
    }
    if (value.length > maxItems) {
      this.report(field, `must have at most ${maxItems} entries, got ${value.length}`);
      return undefined;
    }
    return value;
  }

  stringList(fields: Fields, key: string, parent: string, maxItems: number): string[] | undefined {
    const items = this.list(fields, key, parent, maxItems);
    if (!items) return undefined;
    const strings: string[] = [];
    items.forEach((item, index) => {
      if (typeof item === 'string') strings.push(item);
      else this.report(fieldPath(fieldPath(parent, key), index), `must be a string, got ${describeValue(item)}`);
    });
    return strings.length === items.length ? strings : undefined;
  }

  /** A map of string to string, such as labels or a hostSelector. */
  stringMap(fields: Fields, key: string, parent: string): Record<string, string> | undefined {
    const value = fields[key];
    if (value === undefined || value === null) return undefined;
    const field = fieldPath(parent, key);
    const map = this.object(value, field);
    if (!map) return undefined;
    const result: Record<string, string> = {};
    let clean = true;
    for (const [name, item] of Object.entries(map)) {
      if (typeof item === 'string') result[name] = item;
      else {
        clean = false;
        this.report(fieldPath(field, name), `must be a string, got ${describeValue(item)}`);
      }
    }
    return clean ? result : undefined;
  }
}

/** The known name within edit distance 2 of `key`, if exactly one is closest. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
