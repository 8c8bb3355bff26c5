/**
 * The three manifest kinds (DESIGN.md §2) as decoded, validated values. Hosts stay as
 * declared: admission judges each one separately, so one bad alias never drops the rest.
 */
import type { SourceRef } from './issues.js';
import type { PathMatch } from './path-match.js';

export type Labels = Readonly<Record<string, string>>;

export interface ObjectMeta {
  readonly name: string;
  readonly labels: Labels;
  /** RFC 3339, normalised to UTC; orders triggers for ownership. */
  readonly creationTimestamp?: string;
}

/** A host as written, with the field it came from (`spec.ingress.hosts[2]`). */
export interface DeclaredHost {
  readonly value: string;
  readonly field: string;
}

export interface DeclaredPath extends PathMatch {
  readonly field: string;
}

export interface HTTPTrigger {
  readonly kind: 'HTTPTrigger';
  readonly metadata: ObjectMeta & { readonly namespace: string };
  readonly spec: {
    readonly hosts: readonly DeclaredHost[];
    readonly paths: readonly DeclaredPath[];
    readonly hostSelector: Labels;
  };
  readonly source?: SourceRef;
}

export interface Gateway {
  readonly address: string;
  readonly port: number;
}

export interface HealthCheck {
  readonly path: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

export interface HostGroup {
  readonly kind: 'HostGroup';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly gateways: readonly Gateway[];
    readonly healthCheck?: HealthCheck;
  };
  readonly source?: SourceRef;
}

/** Platform policy for one namespace. An absent field means "no restriction". */
export interface Tenant {
  readonly kind: 'Tenant';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly hostnames?: readonly string[];
    readonly hostGroups?: readonly string[];
    readonly maxTriggers?: number;
  };
  readonly source?: SourceRef;
}

export type Manifest = HTTPTrigger | HostGroup | Tenant;
export type ManifestKind = Manifest['kind'];

/** `HTTPTrigger team-a/shop`, `HostGroup default`: how errors and logs name an object. */
export function objectKey(manifest: Manifest): string {
  return describeObject({ kind: manifest.kind, name: manifest.metadata.name, ...(manifest.kind === 'HTTPTrigger' && { namespace: manifest.metadata.namespace }) });
}

/** The same naming for an object known by its kind, name and (triggers) namespace only. */
export function describeObject(ref: { readonly kind: ManifestKind; readonly name: string; readonly namespace?: string }): string {
  return ref.namespace === undefined ? `${ref.kind} ${ref.name}` : `${ref.kind} ${ref.namespace}/${ref.name}`;
}

/** `<namespace>/<name>`: the workload id a trigger's requests carry. */
export function triggerId(trigger: HTTPTrigger): string {
  return `${trigger.metadata.namespace}/${trigger.metadata.name}`;
}
