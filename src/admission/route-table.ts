/** Assembles the RouteTable and its content version. */
import { createHash } from 'node:crypto';
import type { HostGroup } from '../model/resources.js';
import { canonicalJson } from '../util/canonical-json.js';
import { compareStrings } from './trigger-order.js';
import type { HostGroupEntry, HostRoutes, RouteTable } from './types.js';

export function makeRouteTable(hosts: readonly HostRoutes[], groups: readonly HostGroup[]): RouteTable {
  const hostGroups: HostGroupEntry[] = [...groups]
    .sort((a, b) => compareStrings(a.metadata.name, b.metadata.name))
    .map((group) => ({
      name: group.metadata.name,
      gateways: group.spec.gateways,
      ...(group.spec.healthCheck && { healthCheck: group.spec.healthCheck }),
    }));
  // Host entries are built by admission with a fixed key order, so plain JSON is canonical
  // for them (and much cheaper at fleet scale); HostGroups carry decoded objects, so sort.
  const version = createHash('sha256').update(JSON.stringify(hosts)).update(canonicalJson(hostGroups)).digest('hex').slice(0, 16);
  return { version, hosts, hostGroups };
}

/** host → owning namespace: what the next admission needs as `previousOwners`. */
export function tableOwners(table: RouteTable): Record<string, string> {
  const owners: Record<string, string> = {};
  for (const entry of table.hosts) owners[entry.host] = entry.namespace;
  return owners;
}
