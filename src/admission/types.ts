/**
 * What admission consumes and produces. The RouteTable is the one admitted view of routing
 * intent that every later stage (xDS resources, the Node router, status) reads.
 */
import type { SourceRef } from '../model/issues.js';
import type { PathType } from '../model/path-match.js';
import type { Gateway, HealthCheck, HostGroup, HTTPTrigger, Tenant } from '../model/resources.js';

export interface AdmissionInput {
  readonly triggers: readonly HTTPTrigger[];
  readonly hostGroups: readonly HostGroup[];
  readonly tenants: readonly Tenant[];
  /**
   * Host pattern → owning namespace from the previous table. Ownership moves only when the
   * owner has no trigger left claiming the host, which the manifests alone cannot tell.
   */
  readonly previousOwners?: Readonly<Record<string, string>>;
}

export interface RouteEntry {
  readonly pathType: PathType;
  readonly path: string;
  /** `<namespace>/<trigger>`, sent upstream as `x-workload-id`. */
  readonly workloadId: string;
  /** Where the route sends traffic, sorted; empty while its refs do not resolve (answer 503). */
  readonly hostGroups: readonly string[];
}

export interface HostRoutes {
  /** Normalised pattern: `shop.example.com` or `*.example.com`. */
  readonly host: string;
  /** The owning namespace (tenant), sent upstream as `x-tenant`. */
  readonly namespace: string;
  /** First match wins: Exact before Prefix, longer prefix first, then trigger age. */
  readonly routes: readonly RouteEntry[];
}

export interface HostGroupEntry {
  readonly name: string;
  readonly gateways: readonly Gateway[];
  readonly healthCheck?: HealthCheck;
}

export interface RouteTable {
  /** Content hash of `hosts` and `hostGroups`: equal tables, equal versions. */
  readonly version: string;
  /** Sorted by host. */
  readonly hosts: readonly HostRoutes[];
  /** Every HostGroup, sorted by name. */
  readonly hostGroups: readonly HostGroupEntry[];
}

export const REJECTION_REASONS = [
  'InvalidHostname',
  'HostnameConflict',
  'HostnameNotAllowed',
  'PathConflict',
  'HostGroupNotFound',
  'HostGroupNotAllowed',
  'QuotaExceeded',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** One thing admission refused, located by the trigger's field path. */
export interface Rejection {
  readonly reason: RejectionReason;
  readonly field: string;
  readonly message: string;
}

export type ConditionType = 'Accepted' | 'ResolvedRefs' | 'PartiallyInvalid' | 'Programmed';

export interface Condition {
  readonly type: ConditionType;
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
}

export interface TriggerStatus {
  readonly namespace: string;
  readonly name: string;
  readonly source?: SourceRef;
  /** Hosts this trigger holds, normalised, in declaration order. */
  readonly hosts: readonly string[];
  /** How many routes of the table come from this trigger. */
  readonly routes: number;
  readonly conditions: readonly Condition[];
  readonly rejections: readonly Rejection[];
}

export interface AdmissionResult {
  readonly table: RouteTable;
  /** One per trigger, sorted by namespace/name. */
  readonly statuses: readonly TriggerStatus[];
}
