/** Human renderings of admission results, shared by `check` and `serve`. */
import type { RouteTable, TriggerStatus } from '../admission/types.js';
import { formatManifestError, type ManifestError } from '../model/issues.js';
import { textTable } from './text-table.js';

/** One word for a trigger's state: Accepted, Partial, Unresolved or Rejected. */
export function statusWord(status: TriggerStatus): string {
  const condition = (type: string): string | undefined => status.conditions.find((c) => c.type === type)?.status;
  if (condition('Accepted') === 'False') return 'Rejected';
  if (condition('ResolvedRefs') === 'False') return 'Unresolved';
  if (condition('PartiallyInvalid') === 'True') return 'Partial';
  return 'Accepted';
}

export function isClean(status: TriggerStatus): boolean {
  return status.rejections.length === 0;
}

export function renderStatuses(statuses: readonly TriggerStatus[]): string {
  if (statuses.length === 0) return 'No HTTPTriggers found.';
  const rows = statuses.map((status) => [
    status.namespace,
    status.name,
    status.hosts.join(',') || '-',
    String(status.routes),
    statusWord(status),
    [...new Set(status.rejections.map((r) => r.reason))].join(',') || '-',
  ]);
  return textTable(['NAMESPACE', 'TRIGGER', 'HOSTS', 'ROUTES', 'STATUS', 'REASONS'], rows);
}

/** The reasons behind every refusal, one line each, located in the trigger. */
export function renderRejections(statuses: readonly TriggerStatus[]): string[] {
  return statuses.flatMap((status) =>
    status.rejections.map((r) => `${where(status)} ${r.field}: ${r.reason}: ${r.message}`),
  );
}

function where(status: TriggerStatus): string {
  const id = `${status.namespace}/${status.name}`;
  return status.source ? `${id} (${status.source.file}#${status.source.doc})` : id;
}

export function renderRoutes(table: RouteTable): string {
  const rows = table.hosts.flatMap((host) =>
    host.routes.length === 0
      ? [[host.host, host.namespace, '-', '-', '-']]
      : host.routes.map((route) => [host.host, host.namespace, `${route.pathType} ${route.path}`, route.workloadId, route.hostGroups.join(',') || '(503)']),
  );
  return textTable(['HOST', 'NAMESPACE', 'MATCH', 'WORKLOAD', 'HOSTGROUPS'], rows);
}

export function renderErrors(errors: readonly ManifestError[]): string[] {
  return errors.map(formatManifestError);
}
