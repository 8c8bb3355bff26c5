/**
 * The records of objects.log. A commit record carries everything its ops produced (whole
 * objects, with their versions and creation times), so replay needs no clock and gives
 * back exactly what was acknowledged. Compaction writes snapshot records: one per live
 * object, then one with no ops that keeps the latest creation time, all at the revision
 * of the compaction, so versions never go backwards even when the newest object is gone.
 */
import { isJsonObject } from '../util/atomic-file.js';
import { isCreationTimestamp } from './creation-clock.js';
import { deepFreeze } from './frozen-json.js';
import { keyProblem, keyString, pickKey, type ObjectKey } from './object-key.js';
import type { StoredDocument, StoredObject } from './store-types.js';

export type LoggedOp = { readonly op: 'put'; readonly object: StoredObject } | { readonly op: 'delete'; readonly key: ObjectKey };

export interface LogRecord {
  /** The store revision after this record. */
  readonly rev: number;
  readonly ops: readonly LoggedOp[];
  /** Written by compaction: restates live objects (puts only) instead of recording a commit. */
  readonly snapshot?: true;
  /** Snapshot records only: the latest creationTimestamp the store has assigned. */
  readonly lastCreated?: string;
}

export function encodeRecord(record: LogRecord): string {
  return JSON.stringify(record);
}

/** The record on `line`, deep-frozen; throws an Error saying what is wrong with its shape. */
export function decodeRecord(line: string): LogRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new Error(`the record is not JSON (${(error as Error).message})`);
  }
  if (!isJsonObject(value)) throw new Error('the record is not a JSON object');
  onlyFields(value, ['rev', 'ops', 'snapshot', 'lastCreated'], 'the record');
  const { rev, ops, snapshot, lastCreated } = value;
  if (typeof rev !== 'number' || !Number.isSafeInteger(rev) || rev < 1) throw new Error('rev must be a positive integer');
  if (snapshot !== undefined && snapshot !== true) throw new Error('snapshot must be true when present');
  if (lastCreated !== undefined && (snapshot !== true || !isCreationTimestamp(lastCreated))) {
    throw new Error('lastCreated must be an ISO 8601 UTC timestamp, and only in a snapshot record');
  }
  if (!Array.isArray(ops)) throw new Error('ops must be an array');
  if (ops.length === 0 && snapshot !== true) throw new Error('a commit record must have ops');
  const seen = new Set<string>();
  const decoded = ops.map((op: unknown, index) => {
    const logged = decodeOp(op, rev, snapshot === true, `ops[${index}]`);
    const id = keyString(logged.op === 'put' ? logged.object : logged.key);
    if (seen.has(id)) throw new Error(`ops[${index}] names ${id} a second time`);
    seen.add(id);
    return logged;
  });
  return deepFreeze({ rev, ops: decoded, ...(snapshot === true && { snapshot }), ...(lastCreated !== undefined && { lastCreated }) });
}

function decodeOp(value: unknown, rev: number, snapshot: boolean, at: string): LoggedOp {
  if (!isJsonObject(value)) throw new Error(`${at} must be an object`);
  if (value['op'] === 'delete' && !snapshot) {
    onlyFields(value, ['op', 'key'], at);
    const key = value['key'];
    const problem = keyProblem(key);
    if (problem !== undefined) throw new Error(`${at}.key ${problem}`);
    onlyFields(key as Record<string, unknown>, ['kind', 'namespace', 'name'], `${at}.key`);
    return { op: 'delete', key: pickKey(key as ObjectKey) };
  }
  if (value['op'] !== 'put') throw new Error(`${at}.op must be "put"${snapshot ? ' in a snapshot record' : ' or "delete"'}`);
  onlyFields(value, ['op', 'object'], at);
  return { op: 'put', object: decodeObject(value['object'], rev, snapshot, `${at}.object`) };
}

function decodeObject(value: unknown, rev: number, snapshot: boolean, at: string): StoredObject {
  const problem = keyProblem(value);
  if (problem !== undefined) throw new Error(`${at} ${problem}`);
  const object = value as Record<string, unknown>;
  onlyFields(object, ['kind', 'namespace', 'name', 'resourceVersion', 'creationTimestamp', 'document'], at);
  const { resourceVersion, creationTimestamp, document } = object;
  const version = typeof resourceVersion === 'string' && /^[1-9]\d*$/.test(resourceVersion) ? Number(resourceVersion) : NaN;
  if (snapshot ? !(version <= rev) : version !== rev) {
    throw new Error(`${at}.resourceVersion must be ${snapshot ? 'a revision up to' : 'that of the record,'} ${rev}`);
  }
  if (!isCreationTimestamp(creationTimestamp)) throw new Error(`${at}.creationTimestamp must be an ISO 8601 UTC timestamp`);
  if (!isJsonObject(document)) throw new Error(`${at}.document must be a JSON object`);
  return { ...pickKey(object as unknown as ObjectKey), resourceVersion: resourceVersion as string, creationTimestamp, document: document as StoredDocument };
}

/** Unknown fields mean a format this code does not know: refuse rather than misread it. */
function onlyFields(value: Record<string, unknown>, allowed: readonly string[], at: string): void {
  const extra = Object.keys(value).find((field) => !allowed.includes(field));
  if (extra !== undefined) throw new Error(`${at} has an unknown field ${JSON.stringify(extra)}`);
}
