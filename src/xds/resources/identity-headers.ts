/**
 * The request headers that tell a runtime gateway whose request it is (DESIGN.md §4). A
 * client must never choose them, so each is stripped and set by us, each at the one level
 * of the RouteConfiguration where its value is fixed: `x-forwarded-host` for all, `x-tenant`
 * per virtual host (one owner per host), `x-workload-id` per route. Envoy applies route,
 * then virtual host, then RouteConfiguration mutations; since no header is touched at two
 * levels, that order cannot undo one, and each is written once per host instead of once per
 * route, which keeps the RouteConfiguration (sent whole on every change) small.
 */
import type { HeaderValueOption } from './envoy-types.js';
import { setHeader } from './proto-values.js';

export const TENANT_HEADER = 'x-tenant';
export const WORKLOAD_ID_HEADER = 'x-workload-id';
export const FORWARDED_HOST_HEADER = 'x-forwarded-host';

/** The Host as the client sent it; Envoy expands this substitution command per request. */
const REQUEST_AUTHORITY = '%REQ(:AUTHORITY)%';

export interface HeaderMutations {
  readonly request_headers_to_remove: readonly string[];
  readonly request_headers_to_add: readonly HeaderValueOption[];
}

/**
 * Envoy runs a level's removals before its additions (HeaderParser::evaluateHeaders:
 * "remove-before-add"), so the inbound copy goes and ours stays. The removal is not redundant
 * with OVERWRITE: Envoy skips adding a value that expands to empty, which would otherwise
 * let a client's own `x-forwarded-host` through.
 */
function replaceHeader(key: string, value: string): HeaderMutations {
  return { request_headers_to_remove: [key], request_headers_to_add: [setHeader(key, value)] };
}

/** RouteConfiguration level. */
export function forwardedHostHeader(): HeaderMutations {
  return replaceHeader(FORWARDED_HOST_HEADER, REQUEST_AUTHORITY);
}

/** VirtualHost level: the host's owner. */
export function tenantHeader(namespace: string): HeaderMutations {
  return replaceHeader(TENANT_HEADER, literalHeaderValue(namespace));
}

/** Route level. */
export function workloadHeader(workloadId: string): HeaderMutations {
  return replaceHeader(WORKLOAD_ID_HEADER, literalHeaderValue(workloadId));
}

/**
 * Envoy reads every header value as a substitution format, where "%" starts a command. Tenant
 * names are DNS-1123 and cannot hold one, but doubling it keeps a value literal regardless.
 */
export function literalHeaderValue(value: string): string {
  return value.replaceAll('%', '%%');
}
