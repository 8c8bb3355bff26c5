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

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

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
  const millis = RFC3339.test(raw) ? Date.parse(raw.replace(' ', 'T')) : Number.NaN;
  if (Number.isNaN(millis)) {
    d.report('metadata.creationTimestamp', `must be an RFC 3339 time such as "2026-01-31T12:00:00Z", got ${JSON.stringify(raw)}`);
    return undefined;
  }
  return new Date(millis).toISOString();
}
