/** One decoded YAML/JSON document → a typed manifest, or every problem found in it. */
import { Decoder } from './decoder.js';
import { decodeHostGroup } from './decode-hostgroup.js';
import { decodeTenant } from './decode-tenant.js';
import { decodeHTTPTrigger } from './decode-trigger.js';
import { describeValue, type FieldIssue } from './issues.js';
import type { Manifest, ManifestKind } from './resources.js';

/** API versions each kind is accepted under; Cosmonic's groups load unchanged. */
export const API_VERSIONS: Readonly<Record<ManifestKind, readonly string[]>> = {
  HTTPTrigger: ['control.cosmonic.io/v1alpha1', 'triggerway.dev/v1alpha1'],
  HostGroup: ['k8s.cosmonic.io/v1alpha1', 'triggerway.dev/v1alpha1'],
  Tenant: ['triggerway.dev/v1alpha1'],
};

const TOP_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec', 'status'] as const;
const KINDS = Object.keys(API_VERSIONS) as ManifestKind[];

export type DecodeResult =
  | { readonly ok: true; readonly manifest: Manifest }
  | { readonly ok: false; readonly issues: readonly FieldIssue[] };

export function decodeManifest(value: unknown): DecodeResult {
  const d = new Decoder();
  const top = d.object(value, '');
  if (!top) return { ok: false, issues: [{ field: '', message: `a manifest must be an object with a kind, got ${describeValue(value)}` }] };
  const kind = d.string(top, 'kind', '', true);
  const known = KINDS.find((k) => k === kind);
  if (kind !== undefined && !known) {
    d.report('kind', `unknown kind ${JSON.stringify(kind)} (known: ${KINDS.join(', ')})`);
  }
  if (!known) return { ok: false, issues: d.issues };
  const apiVersion = d.string(top, 'apiVersion', '', false);
  if (apiVersion !== undefined && !API_VERSIONS[known].includes(apiVersion)) {
    d.report('apiVersion', `${known} is served as ${API_VERSIONS[known].join(' or ')}, got ${JSON.stringify(apiVersion)}`);
  }
  d.knownFields(top, '', TOP_FIELDS);
  const manifest = decodeKind(d, known, top);
  return manifest && d.ok ? { ok: true, manifest } : { ok: false, issues: d.issues };
}

function decodeKind(d: Decoder, kind: ManifestKind, top: Record<string, unknown>): Manifest | undefined {
  switch (kind) {
    case 'HTTPTrigger':
      return decodeHTTPTrigger(d, top);
    case 'HostGroup':
      return decodeHostGroup(d, top);
    case 'Tenant':
      return decodeTenant(d, top);
  }
}
