/** Envoy's rules for one Route: a single path specifier, a single action, sane mutations. */
import type { HeaderValueOption, Route, RouteAction, RouteMatch } from './envoy-types.js';
import { headerValueProblem, mutableHeaderProblem, type Problems } from './validation-rules.js';

const PATH_SPECIFIERS = ['prefix', 'path', 'safe_regex', 'connect_matcher', 'path_separated_prefix', 'path_match_policy'];
const ACTIONS = ['route', 'redirect', 'direct_response', 'filter_action', 'non_forwarding_action'];

/** Envoy's default `max_direct_response_body_size_bytes`. */
const MAX_DIRECT_RESPONSE_BODY_BYTES = 4096;

export function validateRoute(problems: Problems, path: string, route: Route): void {
  validateMatch(problems, `${path}.match`, route.match);
  const actions = presentKeys(route, ACTIONS);
  if (actions.length !== 1) problems.add(path, `needs exactly one action (route or direct_response), got ${describe(actions)}`);
  if (route.route) validateAction(problems, `${path}.route`, route.route);
  if (route.direct_response) {
    const { status, body } = route.direct_response;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      problems.add(`${path}.direct_response.status`, `must be from 200 to 599, got ${status}`);
    }
    if (body && new TextEncoder().encode(body.inline_string).length > MAX_DIRECT_RESPONSE_BODY_BYTES) {
      problems.add(`${path}.direct_response.body`, `must be at most ${MAX_DIRECT_RESPONSE_BODY_BYTES} bytes`);
    }
  }
  validateHeaderMutations(problems, `${path}.`, route);
  validateAdditions(problems, `${path}.response_headers_to_add`, route.response_headers_to_add);
}

/** Request header mutations at any level (`prefix` is the level's path plus "."). */
export function validateHeaderMutations(
  problems: Problems,
  prefix: string,
  level: { readonly request_headers_to_add?: readonly HeaderValueOption[] | undefined; readonly request_headers_to_remove?: readonly string[] | undefined },
): void {
  validateAdditions(problems, `${prefix}request_headers_to_add`, level.request_headers_to_add);
  level.request_headers_to_remove?.forEach((name, i) => {
    problems.add(`${prefix}request_headers_to_remove[${i}]`, mutableHeaderProblem(name));
  });
}

function validateMatch(problems: Problems, path: string, match: RouteMatch): void {
  const specifiers = presentKeys(match, PATH_SPECIFIERS);
  if (specifiers.length !== 1) problems.add(path, `needs exactly one path specifier, got ${describe(specifiers)}`);
  for (const key of ['prefix', 'path'] as const) {
    const value = match[key];
    if (value !== undefined && !value.startsWith('/')) problems.add(`${path}.${key}`, `"${value}" must start with "/"`);
  }
  const separated = match.path_separated_prefix;
  if (separated !== undefined) problems.add(`${path}.path_separated_prefix`, separatedPrefixProblem(separated));
}

/** route_components.proto: `^[^?#]+[^?#/]$`, and a path starts with "/". */
function separatedPrefixProblem(prefix: string): string | undefined {
  if (!prefix.startsWith('/')) return `"${prefix}" must start with "/"`;
  if (prefix.length < 2 || prefix.endsWith('/')) return `"${prefix}" must not end in "/" (use prefix "/" for the root)`;
  if (/[?#]/.test(prefix)) return `"${prefix}" must not contain "?" or "#"`;
  return undefined;
}

function validateAction(problems: Problems, path: string, action: RouteAction): void {
  const targets = presentKeys(action, ['cluster', 'cluster_header', 'weighted_clusters', 'cluster_specifier_plugin']);
  if (targets.length !== 1) problems.add(path, `needs exactly one cluster specifier, got ${describe(targets)}`);
  if (action.cluster !== undefined) problems.nonEmpty(`${path}.cluster`, action.cluster);
  const weighted = action.weighted_clusters?.clusters;
  if (weighted) {
    if (weighted.length === 0) problems.add(`${path}.weighted_clusters.clusters`, 'must not be empty');
    weighted.forEach((cluster, i) => problems.nonEmpty(`${path}.weighted_clusters.clusters[${i}].name`, cluster.name));
    const total = weighted.reduce((sum, cluster) => sum + cluster.weight.value, 0);
    if (weighted.length > 0 && total <= 0) problems.add(`${path}.weighted_clusters`, 'weights must add up to more than zero');
  }
  problems.duration(`${path}.timeout`, action.timeout);
  problems.duration(`${path}.idle_timeout`, action.idle_timeout);
}

export function validateAdditions(problems: Problems, path: string, headers: readonly HeaderValueOption[] | undefined): void {
  headers?.forEach(({ header }, i) => {
    problems.add(`${path}[${i}].header.key`, mutableHeaderProblem(header.key));
    problems.add(`${path}[${i}].header.value`, headerValueProblem(header.value));
  });
}

function presentKeys(value: object, keys: readonly string[]): string[] {
  return keys.filter((key) => (value as Record<string, unknown>)[key] !== undefined);
}

function describe(keys: readonly string[]): string {
  return keys.length === 0 ? 'none' : keys.join(' and ');
}
