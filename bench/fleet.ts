/**
 * A synthetic fleet for benchmarks: `namespaces` tenants with `triggersPerNamespace`
 * triggers each, spread over `hostGroups` HostGroups, as manifest YAML text. About one
 * trigger in ten claims a wildcard and one in a hundred tries another tenant's host, so
 * admission does real conflict work.
 */
export interface FleetShape {
  readonly namespaces: number;
  readonly triggersPerNamespace: number;
  readonly hostGroups: number;
}

export const ISSUE_FLEET: FleetShape = { namespaces: 1000, triggersPerNamespace: 10, hostGroups: 20 };

export function fleetYaml(shape: FleetShape): string {
  const documents: string[] = [];
  for (let g = 0; g < shape.hostGroups; g++) {
    documents.push(`kind: HostGroup\nmetadata: {name: group-${g}}\nspec:\n  gateways: [{address: 10.0.${g}.1, port: 9000}, {address: 10.0.${g}.2, port: 9000}]\n  healthCheck: {path: /healthz}\n`);
  }
  for (let n = 0; n < shape.namespaces; n++) {
    const ns = `ns-${String(n).padStart(4, '0')}`;
    documents.push(`kind: Tenant\nmetadata: {name: ${ns}}\nspec: {hostnames: ["*.${ns}.example.com", "*.shared.example.com"], maxTriggers: 100}\n`);
    for (let t = 0; t < shape.triggersPerNamespace; t++) documents.push(triggerYaml(shape, n, t));
  }
  return documents.join('---\n');
}

export function triggerYaml(shape: FleetShape, n: number, t: number, extraPaths: readonly string[] = []): string {
  const ns = `ns-${String(n).padStart(4, '0')}`;
  const index = n * shape.triggersPerNamespace + t;
  const host =
    index % 100 === 7 ? `t0.ns-${String((n + 1) % shape.namespaces).padStart(4, '0')}.example.com` // poaching: refused
      : index % 10 === 3 ? `"*.preview-${t}.${ns}.example.com"`
        : `t${t}.${ns}.example.com`;
  const paths = [...['/', '/api', '/static'].slice(0, 1 + (index % 3)), ...extraPaths].map((p) => `{path: ${p}, pathType: Prefix}`);
  const created = new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString();
  return `kind: HTTPTrigger\nmetadata: {name: t${t}, namespace: ${ns}, creationTimestamp: "${created}"}\nspec:\n  hostSelector: {hostgroup: group-${index % shape.hostGroups}}\n  ingress:\n    host: ${host}\n    paths: [${paths.join(', ')}]\n`;
}
