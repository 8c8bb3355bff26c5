/** Envoy's rules for a Cluster and its ClusterLoadAssignment. */
import type { Address, Cluster, ClusterLoadAssignment, HealthCheck } from './envoy-types.js';
import { portProblem, Problems } from './validation-rules.js';

export function validateCluster(cluster: Cluster): string[] {
  const problems = new Problems();
  problems.nonEmpty('name', cluster.name);
  if (cluster.type === 'EDS') {
    if (!cluster.eds_cluster_config?.eds_config) problems.add('eds_cluster_config.eds_config', 'is required for an EDS cluster');
    problems.nonEmpty('eds_cluster_config.service_name', cluster.eds_cluster_config?.service_name);
  }
  problems.duration('connect_timeout', cluster.connect_timeout, true);
  cluster.health_checks?.forEach((check, i) => validateHealthCheck(problems, `health_checks[${i}]`, check));
  const outlier = cluster.outlier_detection;
  for (const key of ['max_ejection_percent', 'enforcing_consecutive_5xx', 'enforcing_success_rate'] as const) {
    const percent = outlier[key].value;
    if (percent > 100) problems.add(`outlier_detection.${key}`, `is a percentage, got ${percent}`);
  }
  problems.duration('outlier_detection.interval', outlier.interval, true);
  problems.duration('outlier_detection.base_ejection_time', outlier.base_ejection_time, true);
  return problems.list;
}

function validateHealthCheck(problems: Problems, path: string, check: HealthCheck): void {
  problems.duration(`${path}.timeout`, check.timeout, true);
  problems.duration(`${path}.interval`, check.interval, true);
  problems.duration(`${path}.no_traffic_interval`, check.no_traffic_interval, true);
  const checkPath = check.http_health_check.path;
  if (!checkPath.startsWith('/')) problems.add(`${path}.http_health_check.path`, `"${checkPath}" must start with "/"`);
}

export function validateClusterLoadAssignment(assignment: ClusterLoadAssignment): string[] {
  const problems = new Problems();
  problems.nonEmpty('cluster_name', assignment.cluster_name);
  assignment.endpoints.forEach((locality, i) =>
    locality.lb_endpoints.forEach(({ endpoint }, j) =>
      validateAddress(problems, `endpoints[${i}].lb_endpoints[${j}].endpoint.address`, endpoint.address),
    ),
  );
  return problems.list;
}

export function validateAddress(problems: Problems, path: string, address: Address): void {
  problems.nonEmpty(`${path}.socket_address.address`, address.socket_address.address);
  problems.add(`${path}.socket_address.port_value`, portProblem(address.socket_address.port_value));
}
