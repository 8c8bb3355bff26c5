/**
 * `GET /v1/status`, assembled from what the control plane knows. Pure. A tenant sees its own
 * triggers and hosts only; conflict messages already name no more than the owner namespace,
 * and data planes, tenants' policies and manifest errors (which carry file paths and other
 * tenants' names) are the platform's alone.
 */
import type { Condition } from '../../admission/types.js';
import type { AdmissionUpdate } from '../../control/admission-controller.js';
import { triggerStatusView } from './api-object.js';
import type { ApiScope, ObjectOrigin, StatusDataPlane, StatusHost, StatusTenant, StatusTrigger, StatusView } from './api-types.js';

export interface StatusInputs {
  readonly update: AdmissionUpdate | undefined;
  readonly programmed: (triggerId: string) => Condition;
  readonly dataPlanes: () => readonly StatusDataPlane[];
  readonly snapshot: StatusView['snapshot'];
}

export function statusView(scope: ApiScope, inputs: StatusInputs): StatusView {
  const visible = (namespace: string): boolean => scope.role === 'platform' || scope.namespace === namespace;
  const result = inputs.update?.result;
  const triggers: StatusTrigger[] = (result?.statuses ?? [])
    .filter((status) => visible(status.namespace))
    .map((status) => ({
      namespace: status.namespace,
      name: status.name,
      origin: status.source ? ({ kind: 'file', file: status.source.file } satisfies ObjectOrigin) : { kind: 'api' },
      ...triggerStatusView(status, inputs.programmed(`${status.namespace}/${status.name}`)),
    }));
  const hosts: StatusHost[] = (result?.table.hosts ?? [])
    .filter((host) => visible(host.namespace))
    .map((host) => ({ host: host.host, namespace: host.namespace, triggers: [...new Set(host.routes.map((route) => route.workloadId))].sort() }));
  const base = { scope, ...(inputs.snapshot && { snapshot: inputs.snapshot }), triggers, hosts };
  if (scope.role !== 'platform') return base;
  const manifests = inputs.update?.manifests;
  const tenants: StatusTenant[] = (manifests?.tenants ?? []).map((tenant) => ({
    name: tenant.metadata.name,
    ...tenant.spec,
    triggers: triggers.filter((trigger) => trigger.namespace === tenant.metadata.name).length,
  }));
  return { ...base, tenants, dataPlanes: inputs.dataPlanes(), manifestErrors: manifests?.errors ?? [] };
}
