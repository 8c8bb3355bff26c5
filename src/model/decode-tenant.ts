/** Tenant: the platform's policy for one namespace (name = namespace). */
import type { Decoder, Fields } from './decoder.js';
import { decodeMetadata } from './decode-metadata.js';
import { fieldPath } from './issues.js';
import { parseHostPattern } from './hostname.js';
import { dnsLabelProblem, dnsSubdomainProblem } from './names.js';
import type { Tenant } from './resources.js';

export const MAX_TENANT_HOSTNAMES = 1024;
const SPEC_FIELDS = ['hostnames', 'hostGroups', 'maxTriggers'] as const;

export function decodeTenant(d: Decoder, top: Fields): Tenant | undefined {
  const metadata = decodeMetadata(d, top, 'cluster');
  const nameProblem = metadata && dnsLabelProblem(metadata.name);
  if (nameProblem) d.report('metadata.name', `names a namespace, so it ${nameProblem}`);
  const spec = top['spec'] === undefined || top['spec'] === null ? {} : d.object(top['spec'], 'spec');
  if (!spec) return undefined;
  d.knownFields(spec, 'spec', SPEC_FIELDS);
  const hostnames = decodeHostnames(d, spec);
  const hostGroups = d.stringList(spec, 'hostGroups', 'spec', MAX_TENANT_HOSTNAMES);
  hostGroups?.forEach((name, index) => {
    const problem = dnsSubdomainProblem(name);
    if (problem) d.report(fieldPath('spec.hostGroups', index), problem);
  });
  const maxTriggers = d.integer(spec, 'maxTriggers', 'spec', 0, 1_000_000);
  if (!metadata || !d.ok) return undefined;
  return {
    kind: 'Tenant',
    metadata,
    spec: {
      ...(hostnames && { hostnames }),
      ...(hostGroups && { hostGroups }),
      ...(maxTriggers !== undefined && { maxTriggers }),
    },
  };
}

/** Allowed host patterns, normalised like the hosts they will be compared with. */
function decodeHostnames(d: Decoder, spec: Fields): string[] | undefined {
  const raw = d.stringList(spec, 'hostnames', 'spec', MAX_TENANT_HOSTNAMES);
  if (!raw) return undefined;
  const patterns: string[] = [];
  raw.forEach((value, index) => {
    const parsed = parseHostPattern(value);
    if (parsed.ok) patterns.push(parsed.host);
    else d.report(fieldPath('spec.hostnames', index), parsed.message);
  });
  return patterns;
}
