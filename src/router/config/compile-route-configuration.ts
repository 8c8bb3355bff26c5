/**
 * A decoded RouteConfiguration (proto-loader object form) compiled into what the router
 * routes by. Whatever the router cannot do exactly as Envoy would (a redirect, a regex or
 * header matcher, a substitution command other than %REQ, …) throws an Error naming where
 * it is and what, so the xDS client NACKs the version instead of routing differently.
 */
import { TENANT_HEADER, WORKLOAD_ID_HEADER } from '../../xds/resources/identity-headers.js';
import { compileDirectResponse, compileForwardAction, DEFAULT_MAX_DIRECT_RESPONSE_BODY_BYTES } from '../routing/compile-action.js';
import { compileHeaderLevel, HEADER_FIELDS, isEmptyMutation, type HeaderLevel } from '../routing/compile-headers.js';
import { compileRouteMatch } from '../routing/compile-match.js';
import { bool, message, messages, quote, rejectUnknownFields, string, strings, uint32Value, type ProtoObject } from '../routing/proto-object.js';
import { DomainIndex, type VirtualHostIndexOptions } from '../routing/virtual-host-index.js';
import { literalValue } from './header-template.js';
import type { CompiledRoute, CompiledRouteConfiguration, CompiledVirtualHost, HeaderMutation, RouteStatsLabels } from './types.js';

export type RouteConfigurationOptions = VirtualHostIndexOptions;

/**
 * - `validate_clusters` changes nothing here: a route to a cluster the router lacks answers
 *   503, Envoy's behaviour with validation off.
 * - `ignore_port_in_host_matching` is read as always true: the router matches the host without
 *   its port whatever it says (DESIGN.md §4), and our control plane always sets it.
 */
const ROUTE_CONFIGURATION_FIELDS = new Set([
  'name',
  'virtual_hosts',
  ...HEADER_FIELDS,
  'validate_clusters',
  'ignore_port_in_host_matching',
  'max_direct_response_body_size_bytes',
  'most_specific_header_mutations_wins',
]);
const VIRTUAL_HOST_FIELDS = new Set(['name', 'domains', 'routes', ...HEADER_FIELDS]);
/** `action` and `path_specifier` are proto-loader's names for the set oneof member. */
const ROUTE_FIELDS = new Set(['name', 'match', 'route', 'direct_response', 'action', ...HEADER_FIELDS, 'metadata']);

/** What every route of the configuration shares. */
interface Shared {
  readonly headers: HeaderLevel;
  readonly maxBodyBytes: number;
  /** Envoy's most_specific_header_mutations_wins: apply RouteConfiguration, vhost, then route. */
  readonly leastSpecificFirst: boolean;
}

interface VirtualHostContext extends Shared {
  readonly name: string;
  readonly vhostHeaders: HeaderLevel;
  readonly tenant: string;
}

export function compileRouteConfiguration(config: ProtoObject, options: RouteConfigurationOptions = {}): CompiledRouteConfiguration {
  const name = string(config, 'name', 'route configuration') ?? '';
  const where = `route configuration ${quote(name)}`;
  rejectUnknownFields(config, ROUTE_CONFIGURATION_FIELDS, where);
  const shared: Shared = {
    headers: compileHeaderLevel(config, where),
    maxBodyBytes: uint32Value(config, 'max_direct_response_body_size_bytes', where) ?? DEFAULT_MAX_DIRECT_RESPONSE_BODY_BYTES,
    leastSpecificFirst: bool(config, 'most_specific_header_mutations_wins', where),
  };
  const virtualHosts = messages(config, 'virtual_hosts', where).map((virtualHost, index) => compileVirtualHost(virtualHost, index, shared));
  let index: DomainIndex;
  try {
    index = new DomainIndex(virtualHosts, options);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
  return { name, virtualHosts: index, virtualHostCount: virtualHosts.length };
}

function compileVirtualHost(virtualHost: ProtoObject, index: number, shared: Shared): CompiledVirtualHost {
  const name = string(virtualHost, 'name', `virtual host #${index}`) ?? '';
  if (name === '') throw new Error(`virtual host #${index}: name is empty`);
  const where = `virtual host ${quote(name)}`;
  rejectUnknownFields(virtualHost, VIRTUAL_HOST_FIELDS, where);
  const domains = strings(virtualHost, 'domains', where);
  if (domains.length === 0) throw new Error(`${where}: domains is empty`);
  const vhostHeaders = compileHeaderLevel(virtualHost, where);
  const context: VirtualHostContext = { ...shared, name, vhostHeaders, tenant: literalAddition(vhostHeaders, TENANT_HEADER) ?? name };
  const routes = messages(virtualHost, 'routes', where).map((route, routeIndex) => compileRoute(route, routeIndex, context));
  return { name, domains, routes };
}

function compileRoute(route: ProtoObject, index: number, context: VirtualHostContext): CompiledRoute {
  const name = string(route, 'name', `virtual host ${quote(context.name)}, route #${index}`) ?? '';
  const where = `virtual host ${quote(context.name)}, route ${name === '' ? `#${index}` : quote(name)}`;
  rejectUnknownFields(route, ROUTE_FIELDS, where);
  const match = message(route, 'match', where);
  if (match === undefined) throw new Error(`${where}: match is not set`);
  const headers = compileHeaderLevel(route, where);
  const levels = context.leastSpecificFirst ? [context.headers, context.vhostHeaders, headers] : [headers, context.vhostHeaders, context.headers];
  const requestHeaders = nonEmpty(levels.map((level) => level.request));
  const stats: RouteStatsLabels = { tenant: context.tenant, trigger: literalAddition(headers, WORKLOAD_ID_HEADER) ?? name };
  return {
    name,
    match: compileRouteMatch(match, `${where}: match`),
    action: compileAction(route, context.maxBodyBytes, where),
    requestHeaders,
    responseHeaders: nonEmpty(levels.map((level) => level.response)),
    removedRequestHeaders: new Set(requestHeaders.flatMap((mutation) => mutation.remove)),
    stats,
  };
}

function compileAction(route: ProtoObject, maxBodyBytes: number, where: string): CompiledRoute['action'] {
  const forward = message(route, 'route', where);
  const direct = message(route, 'direct_response', where);
  if (forward !== undefined && direct !== undefined) throw new Error(`${where}: both route and direct_response are set`);
  if (forward !== undefined) return compileForwardAction(forward, `${where}: route`);
  if (direct !== undefined) return compileDirectResponse(direct, maxBodyBytes, `${where}: direct_response`);
  throw new Error(
    `${where}: no action the Node router supports (route, direct_response); redirect, filter_action and non_forwarding_action are not supported`,
  );
}

/** The literal value a level adds for `header`, for stats labels (never a request's value). */
function literalAddition(level: HeaderLevel, header: string): string | undefined {
  const addition = level.request.add.find((candidate) => candidate.name === header);
  return addition === undefined ? undefined : literalValue(addition.value);
}

/** Levels without mutations are left out, so a request does no work for them. */
function nonEmpty(mutations: readonly HeaderMutation[]): HeaderMutation[] {
  return mutations.filter((mutation) => !isEmptyMutation(mutation));
}
