/**
 * The host patterns a trigger may claim at all: each declared host normalised and checked
 * against the hostname rules and the tenant's `spec.hostnames`. Ownership is decided later.
 */
import { covers, parseHostPattern } from '../model/hostname.js';
import type { HTTPTrigger, Tenant } from '../model/resources.js';
import type { Rejection } from './types.js';

export interface HostClaim {
  readonly trigger: HTTPTrigger;
  readonly host: string;
  readonly field: string;
}

export interface DeclaredClaims {
  readonly claims: readonly HostClaim[];
  readonly rejections: readonly Rejection[];
}

export function declaredClaims(trigger: HTTPTrigger, tenant: Tenant | undefined): DeclaredClaims {
  const claims: HostClaim[] = [];
  const rejections: Rejection[] = [];
  const seen = new Set<string>();
  for (const declared of trigger.spec.hosts) {
    const parsed = parseHostPattern(declared.value);
    if (!parsed.ok) {
      rejections.push({ reason: 'InvalidHostname', field: declared.field, message: `${JSON.stringify(declared.value)} ${parsed.message}` });
      continue;
    }
    if (seen.has(parsed.host)) continue; // an alias repeated (perhaps in another case) claims nothing new
    seen.add(parsed.host);
    if (!hostAllowed(tenant, parsed.host)) {
      rejections.push({
        reason: 'HostnameNotAllowed',
        field: declared.field,
        message: `host "${parsed.host}" is outside the hostnames Tenant "${trigger.metadata.namespace}" may claim`,
      });
      continue;
    }
    claims.push({ trigger, host: parsed.host, field: declared.field });
  }
  return { claims, rejections };
}

function hostAllowed(tenant: Tenant | undefined, host: string): boolean {
  const allowed = tenant?.spec.hostnames;
  return allowed === undefined || allowed.some((pattern) => covers(pattern, host));
}
