/** A stored object → what the API returns for it: the manifest, server metadata and (triggers) admission status. */
import type { Condition, TriggerStatus } from '../../admission/types.js';
import { API_VERSIONS } from '../../model/decode.js';
import type { StoredObject } from '../../store/object-store.js';
import type { ApiObject, TriggerStatusView } from './api-types.js';

export function apiObject(object: StoredObject, status?: TriggerStatusView): ApiObject {
  const { apiVersion, metadata, spec } = object.document as { apiVersion?: string; metadata: ApiObject['metadata']; spec?: unknown };
  return {
    apiVersion: apiVersion ?? API_VERSIONS[object.kind].at(-1)!,
    kind: object.kind,
    metadata: { ...metadata, creationTimestamp: object.creationTimestamp, resourceVersion: object.resourceVersion },
    spec: spec ?? {},
    ...(status && { status }),
  };
}

/** A trigger's admission status plus its Programmed condition. */
export function triggerStatusView(status: TriggerStatus, programmed: Condition): TriggerStatusView {
  return { hosts: status.hosts, routes: status.routes, conditions: [...status.conditions, programmed], rejections: status.rejections };
}
