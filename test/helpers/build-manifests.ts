/**
 * Manifests for admission tests, built from plain objects through the real decoder, so the
 * tests see exactly what a file would produce.
 */
import { decodeManifest } from '../../src/model/decode.js';
import type { HostGroup, HTTPTrigger, Manifest, Tenant } from '../../src/model/resources.js';

export interface TriggerOptions {
  /** Minutes after 2026-01-01T00:00Z; omitted means no creationTimestamp. */
  readonly created?: number;
  readonly paths?: ReadonlyArray<readonly ['Exact' | 'Prefix', string]>;
  readonly hostSelector?: Record<string, string>;
}

export function trigger(id: string, hosts: string | readonly string[], options: TriggerOptions = {}): HTTPTrigger {
  const [namespace, name] = id.split('/');
  return decoded({
    kind: 'HTTPTrigger',
    metadata: {
      name,
      namespace,
      ...(options.created !== undefined && { creationTimestamp: minutes(options.created) }),
    },
    spec: {
      ...(options.hostSelector && { hostSelector: options.hostSelector }),
      ingress: {
        ...(typeof hosts === 'string' ? { host: hosts } : { hosts }),
        ...(options.paths && { paths: options.paths.map(([pathType, path]) => ({ path, pathType })) }),
      },
    },
  }) as HTTPTrigger;
}

export function hostGroup(name: string, labels: Record<string, string> = {}, port = 9000): HostGroup {
  return decoded({
    kind: 'HostGroup',
    metadata: { name, labels },
    spec: { gateways: [{ address: '127.0.0.1', port }] },
  }) as HostGroup;
}

export function tenant(name: string, spec: { hostnames?: string[]; hostGroups?: string[]; maxTriggers?: number }): Tenant {
  return decoded({ kind: 'Tenant', metadata: { name }, spec }) as Tenant;
}

export function minutes(offset: number): string {
  return new Date(Date.UTC(2026, 0, 1) + offset * 60_000).toISOString();
}

function decoded(value: unknown): Manifest {
  const result = decodeManifest(value);
  if (!result.ok) throw new Error(`test manifest invalid: ${JSON.stringify(result.issues)}`);
  return result.manifest;
}
