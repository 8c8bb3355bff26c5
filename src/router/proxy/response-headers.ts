/**
 * The header list sent to the client for an upstream response: the upstream's hop-by-hop
 * fields (and those its `Connection` names) removed in this direction too (RFC 9110
 * §7.6.1), then the route's response mutations. Node frames the response itself.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CompiledRoute } from '../config/types.js';
import { applyAdditions, mutationPlan, type HeaderLookup } from './header-mutations.js';
import { connectionOptions, HOP_BY_HOP_HEADERS } from './hop-by-hop.js';

const NO_LOOKUP: HeaderLookup = () => undefined;

export function clientResponseHeaders(upstream: IncomingHttpHeaders, route: CompiledRoute, lookup: HeaderLookup = NO_LOOKUP): (string | string[])[] {
  const plan = mutationPlan(route.responseHeaders);
  const connection = upstream['connection'];
  const listed = typeof connection === 'string' ? connectionOptions(connection, undefined) : undefined;
  const headers: (string | string[])[] = [];
  for (const name in upstream) {
    if (HOP_BY_HOP_HEADERS.has(name) || plan.removed.has(name) || listed?.has(name)) continue;
    const value = upstream[name];
    if (value !== undefined) headers.push(name, value);
  }
  if (plan.additions.length > 0) applyAdditions(headers as string[], plan.additions, lookup);
  return headers;
}
