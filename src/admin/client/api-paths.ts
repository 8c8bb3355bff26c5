/**
 * Where each kind lives in the admin API's URL space. HTTPTriggers are namespaced (the
 * namespace is the tenant); HostGroups and Tenants are cluster-scoped and platform-owned.
 */
import { API_PREFIX, type ApiObject } from '../api/api-types.js';

export type ApiKind = ApiObject['kind'];

export const API_KINDS: readonly ApiKind[] = ['HTTPTrigger', 'HostGroup', 'Tenant'];

const COLLECTIONS: Readonly<Record<ApiKind, string>> = { HTTPTrigger: 'httptriggers', HostGroup: 'hostgroups', Tenant: 'tenants' };

/** One object: `namespace` for HTTPTriggers only. */
export interface ObjectRef {
  readonly kind: ApiKind;
  readonly namespace?: string;
  readonly name: string;
}

export function isApiKind(value: unknown): value is ApiKind {
  return API_KINDS.some((kind) => kind === value);
}

/** `/v1/namespaces/team-a/httptriggers`, `/v1/hostgroups`. */
export function collectionPath(kind: ApiKind, namespace?: string): string {
  if (kind === 'HTTPTrigger') {
    if (namespace === undefined) throw new Error('an HTTPTrigger needs a namespace');
    return `${API_PREFIX}/namespaces/${encodeURIComponent(namespace)}/${COLLECTIONS[kind]}`;
  }
  if (namespace !== undefined) throw new Error(`a ${kind} is cluster-scoped and has no namespace`);
  return `${API_PREFIX}/${COLLECTIONS[kind]}`;
}

export function objectPath(ref: ObjectRef): string {
  return `${collectionPath(ref.kind, ref.namespace)}/${encodeURIComponent(ref.name)}`;
}

/** `team-a/shop` for a trigger, `default` for a cluster-scoped object. */
export function refName(ref: ObjectRef): string {
  return ref.namespace === undefined ? ref.name : `${ref.namespace}/${ref.name}`;
}

/** `HTTPTrigger team-a/shop`, `HostGroup default`: how the CLI names an object, as `objectKey` does for manifests. */
export function refText(ref: ObjectRef): string {
  return `${ref.kind} ${refName(ref)}`;
}
