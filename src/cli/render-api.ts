/**
 * Human renderings of what the admin API answers: `apply` results, `get` tables and the
 * `status` view. Specs come back as they were written, so they are read defensively (what
 * is not there shows as `-`); refusals and manifest errors reuse check's renderings, so a
 * rejection reads the same whether it came from a file or from the API.
 */
import { compareStrings } from '../admission/trigger-order.js';
import type { ConditionType, TriggerStatus } from '../admission/types.js';
import type { ApiObject, StatusDataPlane, StatusView, TriggerStatusView } from '../admin/api/api-types.js';
import { refName, refText, type ObjectRef } from '../admin/client/api-paths.js';
import type { ApiRequestError } from '../admin/client/api-request-error.js';
import { isRecord } from '../admin/client/json-value.js';
import type { SourceRef } from '../model/issues.js';
import { renderErrors, renderRejections } from './render-admission.js';
import { textTable } from './text-table.js';

/** One object `apply` sent, and what became of it. */
export type ApplyResult = { readonly ref: ObjectRef; readonly source?: SourceRef } & (
  | { readonly outcome: 'created' | 'configured'; readonly object: ApiObject }
  | { readonly outcome: 'failed'; readonly error: ApiRequestError }
);

export interface Verdict {
  readonly accepted: string;
  readonly reason: string;
  readonly message: string;
  /** Written and, for a trigger, admitted in full. */
  readonly ok: boolean;
}

/**
 * A write admission rejects still succeeds at the HTTP level, so the trigger's status
 * decides: refused wholly or in part is not ok, as in `check`. Programmed is left out: right
 * after a write no data plane can have acknowledged it yet.
 */
export function applyVerdict(result: ApplyResult): Verdict {
  if (result.outcome === 'failed') return { accepted: 'False', reason: result.error.code, message: result.error.message, ok: false };
  if (result.ref.kind !== 'HTTPTrigger') return { accepted: 'True', reason: '-', message: '-', ok: true };
  const status = result.object.status;
  if (!status) return { accepted: 'Unknown', reason: '-', message: 'the server sent no status', ok: true };
  const accepted = conditionStatus(status, 'Accepted');
  const problem = firstProblem(status, ['Accepted', 'ResolvedRefs']);
  return { accepted, reason: problem?.reason ?? '-', message: problem?.message ?? '-', ok: accepted !== 'False' && !problem };
}

export function renderApplyResults(results: readonly ApplyResult[]): string {
  const rows = results.map((result) => {
    const verdict = applyVerdict(result);
    return [result.ref.kind, refName(result.ref), result.outcome, verdict.accepted, verdict.reason, verdict.message];
  });
  const sections = [textTable(['KIND', 'NAME', 'RESULT', 'ACCEPTED', 'REASON', 'MESSAGE'], rows)];
  const refused = renderRejections(results.flatMap((result) => (result.outcome === 'failed' ? [] : triggerStatuses(result))));
  if (refused.length > 0) sections.push(['Refused:', ...refused.map(indent)].join('\n'));
  const details = results.flatMap((result) =>
    result.outcome === 'failed' ? result.error.details.map((d) => `${located(result)} ${d.field ? `${d.field}: ` : ''}${d.message}`) : [],
  );
  if (details.length > 0) sections.push(['Errors:', ...details.map(indent)].join('\n'));
  const count = (outcome: ApplyResult['outcome']): number => results.filter((r) => r.outcome === outcome).length;
  const rejected = results.filter((r) => r.outcome !== 'failed' && !applyVerdict(r).ok).length;
  sections.push(
    `${results.length} object(s): ${count('created')} created, ${count('configured')} configured, ${count('failed')} refused by the API; ` +
      `${rejected} trigger(s) refused by admission in whole or part.`,
  );
  return sections.join('\n\n');
}

/** `HTTPTrigger team-a/shop (dir/shop.yaml#2)`. */
function located(result: ApplyResult): string {
  return result.source ? `${refText(result.ref)} (${result.source.file}#${result.source.doc})` : refText(result.ref);
}

function triggerStatuses(result: ApplyResult & { readonly object: ApiObject }): TriggerStatus[] {
  const status = result.object.status;
  if (!status || result.ref.namespace === undefined) return [];
  return [{ ...status, namespace: result.ref.namespace, name: result.ref.name, ...(result.source && { source: result.source }) }];
}

/** The `get` table for objects of one kind, ages as of `now`. */
export function renderObjects(items: readonly ApiObject[], now: number): string {
  const age = (object: ApiObject): string => formatAge(object.metadata.creationTimestamp, now);
  const kind = items[0]?.kind;
  if (kind === 'HostGroup') {
    return textTable(['NAME', 'GATEWAYS', 'AGE'], items.map((o) => [o.metadata.name, gateways(o.spec), age(o)]));
  }
  if (kind === 'Tenant') {
    const rows = items.map((o) => {
      const spec = isRecord(o.spec) ? o.spec : {};
      const max = spec['maxTriggers'];
      return [o.metadata.name, stringList(spec['hostnames']), stringList(spec['hostGroups']), typeof max === 'number' ? String(max) : '-', age(o)];
    });
    return textTable(['NAME', 'HOSTNAMES', 'HOSTGROUPS', 'MAX-TRIGGERS', 'AGE'], rows);
  }
  const rows = items.map((o) => [
    o.metadata.name,
    o.status?.hosts.join(',') || '-',
    o.status ? conditionStatus(o.status, 'Accepted') : '-',
    o.status ? conditionStatus(o.status, 'Programmed') : '-',
    age(o),
  ]);
  return textTable(['NAME', 'HOSTS', 'ACCEPTED', 'PROGRAMMED', 'AGE'], rows);
}

/** A Tenant's list as the Tenant means it: absent is no restriction, empty allows nothing. */
function stringList(value: unknown): string {
  if (!Array.isArray(value)) return '(any)';
  return value.length === 0 ? '(none)' : value.map(String).join(',');
}

function gateways(spec: unknown): string {
  const list = isRecord(spec) && Array.isArray(spec['gateways']) ? spec['gateways'].filter(isRecord) : [];
  const shown = list.slice(0, 3).map((g) => `${String(g['address'])}:${String(g['port'])}`);
  if (list.length > 3) shown.push(`+${list.length - 3} more`);
  return shown.join(',') || '-';
}

/** kubectl's AGE: 45s, 12m, 5h, 3d. */
export function formatAge(timestamp: string | undefined, now: number): string {
  const then = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
  if (Number.isNaN(then)) return '-';
  const seconds = Math.max(0, Math.floor((now - then) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 120 * 60) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** Every section of `GET /v1/status` a scope can see; sections the server left out (tenant scope) are not shown. */
export function renderStatusView(view: StatusView): string {
  const scope = view.scope.role === 'platform' ? 'platform' : `tenant ${view.scope.namespace}`;
  const snapshot = view.snapshot
    ? `Snapshot ${view.snapshot.version} (route table ${view.snapshot.tableVersion}), built ${view.snapshot.builtAt}; scope: ${scope}.`
    : `No snapshot built yet; scope: ${scope}.`;
  const sections = [snapshot];
  const triggerRows = view.triggers.map((t) => [
    `${t.namespace}/${t.name}`,
    t.origin.kind === 'api' ? 'api' : t.origin.file,
    t.hosts.join(',') || '-',
    conditionStatus(t, 'Accepted'),
    conditionStatus(t, 'Programmed'),
    reasons(t),
  ]);
  sections.push(
    view.triggers.length === 0
      ? 'Triggers: none.'
      : `Triggers:\n${textTable(['NAMESPACE/NAME', 'ORIGIN', 'HOSTS', 'ACCEPTED', 'PROGRAMMED', 'REASON'], triggerRows)}`,
  );
  if (view.hosts.length > 0) {
    const rows = view.hosts.map((h) => [h.host, h.namespace, h.triggers.join(',') || '-']);
    sections.push(`Hosts:\n${textTable(['HOST', 'OWNER', 'TRIGGERS'], rows)}`);
  }
  if (view.tenants && view.tenants.length > 0) {
    const rows = view.tenants.map((t) => [
      t.name,
      stringList(t.hostnames),
      stringList(t.hostGroups),
      t.maxTriggers === undefined ? String(t.triggers) : `${t.triggers}/${t.maxTriggers}`,
    ]);
    sections.push(`Tenants:\n${textTable(['NAME', 'HOSTNAMES', 'HOSTGROUPS', 'TRIGGERS'], rows)}`);
  }
  if (view.dataPlanes) {
    const rows = view.dataPlanes.map((p) => [p.nodeId, p.cluster || '-', p.connected ? 'yes' : 'no', acked(p), lastNack(p)]);
    sections.push(view.dataPlanes.length === 0 ? 'Data planes: none.' : `Data planes:\n${textTable(['NODE', 'CLUSTER', 'CONNECTED', 'ACKED', 'LAST NACK'], rows)}`);
  }
  const refused = renderRejections(view.triggers.map((t) => ({ ...t, source: undefined })));
  if (refused.length > 0) sections.push(['Refused:', ...refused.map(indent)].join('\n'));
  const errors = renderErrors(view.manifestErrors ?? []);
  if (errors.length > 0) sections.push(['Manifest errors:', ...errors.map(indent)].join('\n'));
  return sections.join('\n\n');
}

/** One version when every type is at it (the usual case), else each `type=version`. */
function acked(plane: StatusDataPlane): string {
  const entries = Object.entries(plane.acked).sort(([a], [b]) => compareStrings(a, b));
  const versions = new Set(entries.map(([, version]) => version));
  if (entries.length === 0) return '-';
  return versions.size === 1 ? entries[0]![1] : entries.map(([type, version]) => `${type}=${version}`).join(' ');
}

function lastNack(plane: StatusDataPlane): string {
  const nack = plane.lastNack;
  return nack ? `${nack.type} ${nack.version} at ${nack.at}: ${nack.message}` : '-';
}

/** Why a trigger is not fully in effect: its rejections' reasons, else a failing condition's reason. */
function reasons(status: TriggerStatusView): string {
  const rejected = [...new Set(status.rejections.map((r) => r.reason))];
  if (rejected.length > 0) return rejected.join(',');
  return firstProblem(status, ['Accepted', 'ResolvedRefs', 'Programmed'])?.reason ?? '-';
}

function firstProblem(status: TriggerStatusView, types: readonly ConditionType[]): { reason: string; message: string } | undefined {
  const rejection = status.rejections[0];
  if (rejection) return rejection;
  return status.conditions.find((c) => types.includes(c.type) && c.status === 'False');
}

function conditionStatus(status: TriggerStatusView, type: ConditionType): string {
  return status.conditions.find((c) => c.type === type)?.status ?? '-';
}

function indent(line: string): string {
  return `  ${line}`;
}
