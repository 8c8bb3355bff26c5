/**
 * What names a stored object. HTTPTriggers live in a tenant's namespace; HostGroups and
 * Tenants are cluster-wide, so their keys have no namespace at all (not an empty one).
 */

export type StoredKind = 'HTTPTrigger' | 'HostGroup' | 'Tenant';

export const STORED_KINDS: readonly StoredKind[] = ['HTTPTrigger', 'HostGroup', 'Tenant'];

export interface ObjectKey {
  readonly kind: StoredKind;
  /** Present for HTTPTrigger, and only for it. */
  readonly namespace?: string;
  readonly name: string;
}

/** 'HTTPTrigger/team-a/shop', 'HostGroup/default', 'Tenant/team-a'. */
export function keyString(key: ObjectKey): string {
  return key.namespace === undefined ? `${key.kind}/${key.name}` : `${key.kind}/${key.namespace}/${key.name}`;
}

/**
 * What is wrong with `key`, or undefined when it is well formed. A '/' in a name is refused
 * because keyString joins with '/': 'a/b' + 'c' and 'a' + 'b/c' must not share a key.
 */
export function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'object' || key === null) return 'must be an object';
  const { kind, namespace, name } = key as Record<string, unknown>;
  if (!STORED_KINDS.includes(kind as StoredKind)) return `kind must be one of ${STORED_KINDS.join(', ')}`;
  if (!isNamePart(name)) return 'name must be a non-empty string without "/"';
  if (kind === 'HTTPTrigger') {
    if (!isNamePart(namespace)) return 'an HTTPTrigger needs a namespace: a non-empty string without "/"';
  } else if (namespace !== undefined) {
    return `a ${String(kind)} is cluster-wide and has no namespace`;
  }
  return undefined;
}

/** A fresh key with exactly the key fields of `key` (a StoredObject is a key too). */
export function pickKey(key: ObjectKey): ObjectKey {
  return key.namespace === undefined ? { kind: key.kind, name: key.name } : { kind: key.kind, namespace: key.namespace, name: key.name };
}

function isNamePart(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && !value.includes('/');
}
