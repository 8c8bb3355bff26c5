/**
 * The admin API's URL space → what a request is about. Pure: names in the path are checked
 * here (DNS-1123, as for manifests), so nothing later sees a name that could not be stored.
 *
 *   /v1/namespaces/{ns}/httptriggers[/{name}]
 *   /v1/hostgroups[/{name}]      /v1/tenants[/{name}]      /v1/status
 */
import { dnsLabelProblem, dnsSubdomainProblem } from '../../model/names.js';
import type { StoredKind } from '../../store/object-key.js';
import { ApiFailure, badRequest, notFound } from './api-error.js';

export type ApiTarget =
  | { readonly resource: 'status' }
  | { readonly resource: 'collection'; readonly kind: StoredKind; readonly namespace?: string }
  | { readonly resource: 'object'; readonly kind: StoredKind; readonly namespace?: string; readonly name: string };

const COLLECTIONS: Readonly<Record<string, StoredKind>> = { hostgroups: 'HostGroup', tenants: 'Tenant' };

/** Methods each kind of target answers, for 405 and `Allow`. */
export const ALLOWED_METHODS: Readonly<Record<ApiTarget['resource'], readonly string[]>> = {
  status: ['GET', 'HEAD'],
  collection: ['GET', 'HEAD'],
  object: ['GET', 'HEAD', 'PUT', 'DELETE'],
};

/** `pathname` is the request path without query, still percent-encoded. */
export function parseApiPath(pathname: string): ApiTarget {
  const segments = pathname.split('/').slice(1);
  if (segments[0] !== 'v1') throw notFound(`no such API path ${quote(pathname)}`);
  const rest = segments.slice(1).map(decodeSegment);
  if (rest.length === 1 && rest[0] === 'status') return { resource: 'status' };
  if (rest[0] === 'namespaces' && rest[2] === 'httptriggers' && (rest.length === 3 || rest.length === 4)) {
    const namespace = checked(rest[1]!, 'namespace', dnsLabelProblem);
    if (rest.length === 3) return { resource: 'collection', kind: 'HTTPTrigger', namespace };
    return { resource: 'object', kind: 'HTTPTrigger', namespace, name: checked(rest[3]!, 'name', dnsSubdomainProblem) };
  }
  const kind = COLLECTIONS[rest[0] ?? ''];
  if (kind && rest.length === 1) return { resource: 'collection', kind };
  if (kind && rest.length === 2) return { resource: 'object', kind, name: checked(rest[1]!, 'name', kind === 'Tenant' ? dnsLabelProblem : dnsSubdomainProblem) };
  throw notFound(
    `no such API path ${quote(pathname)}; the API serves /v1/namespaces/{namespace}/httptriggers[/{name}], ` +
      '/v1/hostgroups[/{name}], /v1/tenants[/{name}] and /v1/status',
  );
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`the path segment ${quote(segment)} is not valid percent-encoding`);
  }
}

function checked(value: string, what: string, problem: (value: string) => string | undefined): string {
  const why = problem(value);
  if (why) throw new ApiFailure(400, 'BadRequest', `the ${what} ${quote(value)} in the path ${why}`);
  return value;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 97)}...` : text);
}
