/** Keys, manifests and ops for object store tests, and a store that closes when the test ends. */
import type { TestContext } from 'node:test';
import { ObjectStore, type ObjectKey, type ObjectStoreOptions, type StoredObject, type StoreOp } from '../../src/store/object-store.js';
import { onTestEnd } from './tmp-dir.js';

export const triggerKey = (namespace: string, name: string): ObjectKey => ({ kind: 'HTTPTrigger', namespace, name });
export const hostGroupKey = (name: string): ObjectKey => ({ kind: 'HostGroup', name });
export const tenantKey = (name: string): ObjectKey => ({ kind: 'Tenant', name });

/** A manifest for `key` as the API would store it. */
export function manifest(key: ObjectKey, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'triggerway.dev/v1alpha1',
    kind: key.kind,
    metadata: { name: key.name, ...(key.namespace !== undefined && { namespace: key.namespace }) },
    spec,
  };
}

export function put(key: ObjectKey, spec: Record<string, unknown> = {}, expectedVersion?: string): StoreOp {
  return { op: 'put', key, document: manifest(key, spec), ...(expectedVersion !== undefined && { expectedVersion }) };
}

export function remove(key: ObjectKey, expectedVersion?: string): StoreOp {
  return { op: 'delete', key, ...(expectedVersion !== undefined && { expectedVersion }) };
}

/** Opens a store in `dir`, closed when the test ends unless the test closed it. */
export async function openStore(t: TestContext, dir: string, options: Omit<ObjectStoreOptions, 'dir'> = {}): Promise<ObjectStore> {
  const store = await ObjectStore.open({ dir, ...options });
  onTestEnd(t, () => store.close());
  return store;
}

/** A clock stuck at one instant, as a machine whose clock stands still (or tests) gives. */
export const frozenAt = (iso: string) => (): Date => new Date(iso);

/** What must survive a restart: every object, in creation order, with its versions. */
export function contents(store: ObjectStore): { revision: number; objects: StoredObject[] } {
  return { revision: store.revision, objects: store.list() };
}
