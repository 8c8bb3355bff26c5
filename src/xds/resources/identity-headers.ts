/**
 * The request headers that tell a runtime gateway whose request it is (DESIGN.md §4). A
 * client must never choose them, so every route strips the inbound copies and sets ours.
 */
import type { Route } from './envoy-types.js';
import { setHeader } from './proto-values.js';

export const TENANT_HEADER = 'x-tenant';
export const WORKLOAD_ID_HEADER = 'x-workload-id';
export const FORWARDED_HOST_HEADER = 'x-forwarded-host';

/** The Host as the client sent it; Envoy expands this substitution command per request. */
const REQUEST_AUTHORITY = '%REQ(:AUTHORITY)%';

type IdentityMutations = Required<Pick<Route, 'request_headers_to_remove' | 'request_headers_to_add'>>;

/**
 * Envoy runs a route's removals before its additions (HeaderParser::evaluateHeaders:
 * "remove-before-add"), so the inbound copies go and ours stay. The removal is not redundant
 * with OVERWRITE: Envoy skips adding a value that expands to empty, which would otherwise
 * let a client's own `x-forwarded-host` through.
 */
export function identityHeaders(namespace: string, workloadId: string): IdentityMutations {
  return {
    request_headers_to_remove: [TENANT_HEADER, WORKLOAD_ID_HEADER, FORWARDED_HOST_HEADER],
    request_headers_to_add: [
      setHeader(TENANT_HEADER, literalHeaderValue(namespace)),
      setHeader(WORKLOAD_ID_HEADER, literalHeaderValue(workloadId)),
      setHeader(FORWARDED_HOST_HEADER, REQUEST_AUTHORITY),
    ],
  };
}

/**
 * Envoy reads every header value as a substitution format, where "%" starts a command. Tenant
 * names are DNS-1123 and cannot hold one, but doubling it keeps a value literal regardless.
 */
export function literalHeaderValue(value: string): string {
  return value.replaceAll('%', '%%');
}
