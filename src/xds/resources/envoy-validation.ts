/**
 * Envoy's validation rules that matter for what triggerway emits, applied before anything is
 * published: one NACKed RouteConfiguration would hold back every tenant's updates (DESIGN.md
 * §3). Each validator returns its problems as `path: reason`; none means Envoy accepts it.
 */
import type { EnvoyResources } from './envoy-resources.js';
import type { RouteConfiguration, VirtualHost } from './envoy-types.js';
import { validateCluster, validateClusterLoadAssignment } from './validate-cluster.js';
import { validateListener } from './validate-listener.js';
import { validateHeaderMutations, validateRoute } from './validate-route.js';
import { domainProblem, Problems } from './validation-rules.js';

export function validateRouteConfiguration(config: RouteConfiguration): string[] {
  const problems = new Problems();
  problems.nonEmpty('name', config.name);
  validateHeaderMutations(problems, '', config);
  const hostNames = new Map<string, number>();
  // Envoy compares domains lower-cased across the whole configuration; one repeat NACKs it all.
  const domains = new Map<string, string>();
  config.virtual_hosts.forEach((host, i) => {
    const path = `virtual_hosts[${i}]`;
    problems.nonEmpty(`${path}.name`, host.name);
    const first = hostNames.get(host.name);
    if (first !== undefined) problems.add(`${path}.name`, `"${host.name}" is also the name of virtual_hosts[${first}]`);
    else hostNames.set(host.name, i);
    validateDomains(problems, path, host, domains);
    validateHeaderMutations(problems, `${path}.`, host);
    host.routes.forEach((route, j) => validateRoute(problems, `${path}.routes[${j}]`, route));
  });
  return problems.list;
}

function validateDomains(problems: Problems, path: string, host: VirtualHost, seen: Map<string, string>): void {
  if (host.domains.length === 0) problems.add(`${path}.domains`, 'must not be empty');
  host.domains.forEach((domain, i) => {
    const at = `${path}.domains[${i}]`;
    problems.add(at, domainProblem(domain));
    const key = domain.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) problems.add(at, `"${domain}" is already a domain of ${first}`);
    else seen.set(key, at);
  });
}

/**
 * Every resource of a snapshot, plus the rule across them: names are unique within a type,
 * since a discovery response holding one name twice is invalid (xDS R21).
 */
export function validateEnvoyResources(resources: EnvoyResources): string[] {
  return [
    ...checkAll('Listener', resources.listeners, (l) => l.name, validateListener),
    ...checkAll('RouteConfiguration', resources.routeConfigurations, (r) => r.name, validateRouteConfiguration),
    ...checkAll('Cluster', resources.clusters, (c) => c.name, validateCluster),
    ...checkAll('ClusterLoadAssignment', resources.clusterLoadAssignments, (a) => a.cluster_name, validateClusterLoadAssignment),
  ];
}

function checkAll<T>(kind: string, items: readonly T[], nameOf: (item: T) => string, validate: (item: T) => string[]): string[] {
  const seen = new Set<string>();
  return items.flatMap((item, i) => {
    const name = nameOf(item);
    const duplicate = seen.has(name) ? [`${kind} "${name}": the name is used twice`] : [];
    seen.add(name);
    return [...duplicate, ...validate(item).map((problem) => `${kind}[${i}] "${name}" ${problem}`)];
  });
}
