/** ObjectMeta, Kubernetes style: the fields we use are checked, the standard rest tolerated. */
import type { Decoder, Fields } from './decoder.js';
import { fieldPath } from './issues.js';
import { dnsLabelProblem, dnsSubdomainProblem, labelKeyProblem, labelValueProblem } from './names.js';
import type { Labels } from './resources.js';

const METADATA_FIELDS = [
  'name',
  'namespace',
  'labels',
  'annotations',
  'creationTimestamp',
  'uid',
  'resourceVersion',
  'generation',
  'managedFields',
  'finalizers',
  'ownerReferences',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export interface DecodedMetadata {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Labels;
  readonly creationTimestamp?: string;
}

/**
 * Reads `metadata`. `scope` says whether the kind lives in a namespace (HTTPTrigger: the
 * namespace is the tenant, so it is required) or is cluster-scoped (HostGroup, Tenant).
 */
export function decodeMetadata(d: Decoder, top: Fields, scope: 'namespaced' | 'cluster'): DecodedMetadata | undefined {
  const meta = d.object(top['metadata'], 'metadata');
  if (!meta) return undefined;
  d.knownFields(meta, 'metadata', METADATA_FIELDS);
  const name = d.string(meta, 'name', 'metadata', true);
  const problem = name === undefined ? undefined : dnsSubdomainProblem(name);
  if (problem) d.report('metadata.name', problem);
  const namespace = decodeNamespace(d, meta, scope);
  const labels = decodeLabels(d, meta, 'metadata');
  const creationTimestamp = decodeTimestamp(d, meta);
  if (name === undefined || problem) return undefined;
  return {
    name,
    labels: labels ?? {},
    ...(namespace !== undefined && { namespace }),
    ...(creationTimestamp !== undefined && { creationTimestamp }),
  };
}

function decodeNamespace(d: Decoder, meta: Fields, scope: 'namespaced' | 'cluster'): string | undefined {
  if (scope === 'cluster') {
    if (meta['namespace'] !== undefined) {
      d.report('metadata.namespace', 'this kind is cluster-scoped (platform-owned); remove metadata.namespace');
    }
    return undefined;
  }
  const namespace = d.string(meta, 'namespace', 'metadata', true);
  if (namespace === undefined) return undefined;
  const problem = dnsLabelProblem(namespace);
  if (problem) d.report('metadata.namespace', problem);
  return problem ? undefined : namespace;
}

/** A label map (metadata.labels, spec.hostSelector) with Kubernetes key and value syntax. */
export function decodeLabels(d: Decoder, parent: Fields, parentField: string, key = 'labels'): Labels | undefined {
  const labels = d.stringMap(parent, key, parentField);
  if (!labels) return undefined;
  const field = fieldPath(parentField, key);
  let clean = true;
  for (const [name, value] of Object.entries(labels)) {
    const problem = labelKeyProblem(name) ?? labelValueProblem(value);
    if (problem) {
      clean = false;
      d.report(fieldPath(field, name), problem);
    }
  }
  return clean ? labels : undefined;
}

function decodeTimestamp(d: Decoder, meta: Fields): string | undefined {
  const raw = d.string(meta, 'creationTimestamp', 'metadata', false);
  if (raw === undefined) return undefined;
  const millis = rfc3339Millis(raw);
  if (Number.isNaN(millis)) {
    d.report('metadata.creationTimestamp', `must be an RFC 3339 time such as "2026-01-31T12:00:00Z", got ${JSON.stringify(raw)}`);
    return undefined;
  }
  return new Date(millis).toISOString();
}

/**
 * Milliseconds since the epoch, or NaN. Date.parse alone is lenient (it rolls 2026-02-30 over
 * to 2026-03-02 and reads hour 24 as the next day), which would silently reorder ownership,
 * so the calendar date and the hour are checked first.
 */
function rfc3339Millis(raw: string): number {
  const parts = RFC3339.exec(raw);
  if (!parts) return Number.NaN;
  const [year, month, day, hour] = parts.slice(1, 5).map(Number) as [number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23) return Number.NaN;
  return Date.parse(raw.replace(' ', 'T'));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
