/**
 * The decoded tokens document → a TokenTable, every problem reported to the Decoder. A value
 * under `token` or `sha256` is never quoted or described beyond its type: whatever sits
 * there may be a secret, even when it is not a string. Entries are checked independently,
 * then against each other: names and secrets must be unique.
 */
import type { Decoder, Fields } from '../../model/decoder.js';
import { describeValue, fieldPath } from '../../model/issues.js';
import { dnsLabelProblem, dnsSubdomainProblem } from '../../model/names.js';
import type { ApiScope } from '../api/api-types.js';
import { B64TOKEN } from './bearer-token.js';
import { tokenDigest, TokenTable, type TokenEntry } from './token-table.js';

export const MIN_TOKEN_LENGTH = 16;
export const MAX_TOKENS = 10_000;

const TOP_FIELDS = ['tokens'];
const ENTRY_FIELDS = ['name', 'token', 'sha256', 'role', 'namespace'];
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

interface Secret {
  readonly field: string;
  readonly digest: Buffer;
}

/** One list item as far as it decoded; an entry only when every part did. */
interface Decoded {
  readonly at: string;
  readonly name: string | undefined;
  readonly secret: Secret | undefined;
  readonly scope: ApiScope | undefined;
}

export function decodeTokenEntries(value: unknown, d: Decoder): TokenTable | undefined {
  if (value === null || value === undefined) return refuse(d, 'tokens', 'required');
  if (!isFields(value)) return refuse(d, '', `must be a mapping with a "tokens" list, got ${shape(value)}`);
  knownFields(d, value, '', TOP_FIELDS);
  const list = value['tokens'];
  if (list === null || list === undefined) return refuse(d, 'tokens', 'required');
  if (!Array.isArray(list)) return refuse(d, 'tokens', `must be a list, got ${shape(list)}`);
  if (list.length > MAX_TOKENS) return refuse(d, 'tokens', `must have at most ${MAX_TOKENS} entries, got ${list.length}`);
  const decoded = list.map((item, index) => decodeEntry(item, fieldPath('tokens', index), d));
  refuseDuplicates(decoded, d);
  const entries: TokenEntry[] = [];
  for (const item of decoded) {
    if (item?.name !== undefined && item.secret && item.scope) entries.push({ name: item.name, scope: item.scope, digest: item.secret.digest });
  }
  return new TokenTable(entries);
}

function decodeEntry(item: unknown, at: string, d: Decoder): Decoded | undefined {
  if (!isFields(item)) return refuse(d, at, `must be a mapping with name, token or sha256, and role or namespace; got ${shape(item)}`);
  knownFields(d, item, at, ENTRY_FIELDS);
  let name = d.string(item, 'name', at, true);
  const nameProblem = name === undefined ? undefined : dnsSubdomainProblem(name);
  if (nameProblem) {
    d.report(fieldPath(at, 'name'), nameProblem);
    name = undefined;
  }
  return { at, name, secret: decodeSecret(item, at, d), scope: decodeScope(item, at, d) };
}

function decodeSecret(item: Fields, at: string, d: Decoder): Secret | undefined {
  const given = ['token', 'sha256'].filter((key) => item[key] !== undefined && item[key] !== null);
  if (given.length === 0) return refuse(d, fieldPath(at, 'token'), 'required: set token, or sha256 to keep the secret out of the file');
  if (given.length > 1) return refuse(d, fieldPath(at, 'sha256'), 'token and sha256 are alternatives; set only one');
  const key = given[0]!;
  const field = fieldPath(at, key);
  const value = item[key];
  if (typeof value !== 'string') return refuse(d, field, `must be a string, got ${shape(value)}`);
  if (key === 'sha256') {
    if (SHA256_HEX.test(value)) return { field, digest: Buffer.from(value, 'hex') };
    return refuse(d, field, `must be 64 hexadecimal digits: the SHA-256 of the token's UTF-8 bytes, as \`printf %s "$TOKEN" | sha256sum\` prints`);
  }
  const problem = tokenProblem(value);
  return problem ? refuse(d, field, problem) : { field, digest: tokenDigest(value) };
}

function tokenProblem(token: string): string | undefined {
  if (/[\s\p{Cc}]/u.test(token)) return 'must not contain whitespace or control characters (a YAML "|" block keeps a final newline; use "|-" or quotes)';
  if (!B64TOKEN.test(token)) return 'may hold only letters, digits and "-._~+/", optionally ending in "=", to be sent as `Authorization: Bearer <token>` (RFC 6750)';
  if (token.length < MIN_TOKEN_LENGTH) return `must be at least ${MIN_TOKEN_LENGTH} characters long`;
  return undefined;
}

function decodeScope(item: Fields, at: string, d: Decoder): ApiScope | undefined {
  const role = d.string(item, 'role', at, false);
  const namespace = d.string(item, 'namespace', at, false);
  const namespaceField = fieldPath(at, 'namespace');
  const namespaceGiven = item['namespace'] !== undefined && item['namespace'] !== null;
  if (role !== undefined && role !== 'platform' && role !== 'tenant') {
    return refuse(d, fieldPath(at, 'role'), `must be "platform" or "tenant", got ${describeValue(role)}`);
  }
  if (role === 'platform') {
    if (!namespaceGiven) return { role: 'platform' };
    return refuse(d, namespaceField, 'must not be set for a platform token, which covers every namespace; drop it, or drop the role for a tenant token');
  }
  if (namespace === undefined) {
    if (namespaceGiven) return undefined; // not a string: reported
    return refuse(d, namespaceField, role === 'tenant' ? 'required for a tenant token' : 'required: a tenant token is bound to one namespace (or set role: platform)');
  }
  const problem = dnsLabelProblem(namespace);
  return problem ? refuse(d, namespaceField, problem) : { role: 'tenant', namespace };
}

function refuseDuplicates(decoded: readonly (Decoded | undefined)[], d: Decoder): void {
  const names = new Map<string, string>();
  const secrets = new Map<string, Decoded>();
  for (const item of decoded) {
    if (item?.name !== undefined) {
      const first = names.get(item.name);
      if (first) d.report(fieldPath(item.at, 'name'), `duplicate of ${first}.name: audit logs and metrics tell tokens apart by name`);
      else names.set(item.name, item.at);
    }
    if (item?.secret) {
      const key = item.secret.digest.toString('hex');
      const first = secrets.get(key);
      if (first) d.report(item.secret.field, `the same secret as ${first.secret!.field}: every token must be different`);
      else secrets.set(key, item);
    }
  }
}

/**
 * Decoder.knownFields, except that a key as long as a token is not named: a token written
 * as a key (`- <token>: team-a`) must not come back in a field path.
 */
function knownFields(d: Decoder, fields: Fields, at: string, known: readonly string[]): void {
  const shown: Fields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (key.length < MIN_TOKEN_LENGTH) shown[key] = value;
    else d.report(at, `unknown field with a ${key.length}-character name, not shown in case it is a token (known: ${known.join(', ')})`);
  }
  d.knownFields(shown, at, known);
}

/** Reports a problem and yields no value, for `return refuse(...)`. */
function refuse(d: Decoder, field: string, message: string): undefined {
  d.report(field, message);
  return undefined;
}

function isFields(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A value's type, never its content. */
function shape(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}
