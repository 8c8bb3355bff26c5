/**
 * HostGroup: a platform-owned set of runtime gateways. Every group implicitly carries the
 * label `hostgroup: <name>`, so the default selector `{hostgroup: default}` finds the group
 * named `default` without ceremony.
 */
import { isIP } from 'node:net';
import type { Decoder, Fields } from './decoder.js';
import { decodeMetadata } from './decode-metadata.js';
import { fieldPath } from './issues.js';
import { parsePath } from './path-match.js';
import type { Gateway, HealthCheck, HostGroup } from './resources.js';

export const MAX_GATEWAYS_PER_HOSTGROUP = 1024;
export const HOSTGROUP_LABEL = 'hostgroup';

const SPEC_FIELDS = ['gateways', 'healthCheck', 'replicas'] as const;
const GATEWAY_FIELDS = ['address', 'port'] as const;
const HEALTH_CHECK_FIELDS = ['path', 'intervalSeconds', 'timeoutSeconds', 'healthyThreshold', 'unhealthyThreshold'] as const;

export const HEALTH_CHECK_DEFAULTS = Object.freeze({
  intervalSeconds: 5,
  timeoutSeconds: 2,
  healthyThreshold: 1,
  unhealthyThreshold: 2,
});

export function decodeHostGroup(d: Decoder, top: Fields): HostGroup | undefined {
  const metadata = decodeMetadata(d, top, 'cluster');
  const spec = top['spec'] === undefined || top['spec'] === null ? {} : d.object(top['spec'], 'spec');
  if (!spec) return undefined;
  d.knownFields(spec, 'spec', SPEC_FIELDS);
  const gateways = decodeGateways(d, spec);
  const healthCheck = spec['healthCheck'] === undefined ? undefined : decodeHealthCheck(d, spec['healthCheck']);
  if (!metadata || !gateways || !d.ok) return undefined;
  return {
    kind: 'HostGroup',
    metadata: { ...metadata, labels: { [HOSTGROUP_LABEL]: metadata.name, ...metadata.labels } },
    spec: { gateways, ...(healthCheck && { healthCheck }) },
  };
}

function decodeGateways(d: Decoder, spec: Fields): Gateway[] | undefined {
  const items = d.list(spec, 'gateways', 'spec', MAX_GATEWAYS_PER_HOSTGROUP) ?? [];
  const gateways: Gateway[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const field = fieldPath('spec.gateways', index);
    const gateway = decodeGateway(d, item, field);
    if (!gateway) return;
    const key = `${gateway.address}|${gateway.port}`;
    const first = seen.get(key);
    if (first !== undefined) d.report(field, `duplicates spec.gateways[${first}]`);
    else seen.set(key, index);
    gateways.push(gateway);
  });
  return d.ok ? gateways : undefined;
}

function decodeGateway(d: Decoder, item: unknown, field: string): Gateway | undefined {
  const fields = d.object(item, field);
  if (!fields) return undefined;
  d.knownFields(fields, field, GATEWAY_FIELDS);
  const address = d.string(fields, 'address', field, true);
  const port = d.integer(fields, 'port', field, 1, 65535);
  if (fields['port'] === undefined) d.report(fieldPath(field, 'port'), 'required');
  const problem = address === undefined ? undefined : addressProblem(address);
  if (problem) {
    d.report(fieldPath(field, 'address'), problem);
    return undefined;
  }
  return address !== undefined && port !== undefined ? { address, port } : undefined;
}

function addressProblem(address: string): string | undefined {
  if (isIP(address) === 0) {
    return `must be an IP address (endpoints are not resolved through DNS), got ${JSON.stringify(address)}`;
  }
  if (address === '0.0.0.0' || address === '::') {
    return `must be the gateway's own IP address, not the unspecified address ${JSON.stringify(address)}`;
  }
  return undefined;
}

function decodeHealthCheck(d: Decoder, value: unknown): HealthCheck | undefined {
  const field = 'spec.healthCheck';
  const fields = d.object(value, field);
  if (!fields) return undefined;
  d.knownFields(fields, field, HEALTH_CHECK_FIELDS);
  const rawPath = d.string(fields, 'path', field, true);
  const parsed = rawPath === undefined ? undefined : parsePath(rawPath, 'Exact');
  if (parsed && !parsed.ok) d.report(`${field}.path`, parsed.message);
  const intervalSeconds = d.integer(fields, 'intervalSeconds', field, 1, 3600) ?? HEALTH_CHECK_DEFAULTS.intervalSeconds;
  const check = {
    intervalSeconds,
    // The default timeout shrinks to fit a short interval the user chose.
    timeoutSeconds: d.integer(fields, 'timeoutSeconds', field, 1, 3600) ?? Math.min(HEALTH_CHECK_DEFAULTS.timeoutSeconds, intervalSeconds),
    healthyThreshold: d.integer(fields, 'healthyThreshold', field, 1, 100) ?? HEALTH_CHECK_DEFAULTS.healthyThreshold,
    unhealthyThreshold: d.integer(fields, 'unhealthyThreshold', field, 1, 100) ?? HEALTH_CHECK_DEFAULTS.unhealthyThreshold,
  };
  if (check.timeoutSeconds > check.intervalSeconds) {
    d.report(`${field}.timeoutSeconds`, `must not exceed intervalSeconds (${check.intervalSeconds}), got ${check.timeoutSeconds}`);
  }
  return parsed?.ok ? { path: parsed.path, ...check } : undefined;
}
