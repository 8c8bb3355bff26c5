/**
 * The publication gate (go-control-plane's `Snapshot.Consistent`): a snapshot goes out only
 * when every RouteConfiguration a listener names and every ClusterLoadAssignment a cluster
 * names is in it, every cluster a route sends to exists, and nothing unreferenced rides
 * along. An Envoy given a dangling name waits warming for 15 s (rule R26); a route to a
 * missing cluster answers 503.
 */
import { TYPE_LABELS, type XdsType } from '../xds-types.js';

/** The names each type's resources refer to, as the builder recorded them. */
export interface ResourceReferences {
  /** RouteConfiguration names the listeners use over RDS. */
  readonly route: ReadonlySet<string>;
  /** ClusterLoadAssignment names the clusters use over EDS. */
  readonly endpoint: ReadonlySet<string>;
  /** Cluster names the routes send traffic to. */
  readonly cluster: ReadonlySet<string>;
}

export type ResourceNames = Readonly<Record<XdsType, ReadonlySet<string>>>;

/** Every inconsistency, as a sentence; empty when the snapshot may be published. */
export function consistencyProblems(names: ResourceNames, references: ResourceReferences): string[] {
  const problems: string[] = [];
  const missing = (type: XdsType, referrer: string) => {
    for (const name of references[type as keyof ResourceReferences]) {
      if (!names[type].has(name)) problems.push(`${TYPE_LABELS[type]} resource "${name}" is referenced by ${referrer} but missing`);
    }
  };
  missing('route', 'a listener');
  missing('endpoint', 'a cluster');
  missing('cluster', 'a route');
  for (const type of ['route', 'endpoint'] as const) {
    for (const name of names[type]) {
      if (!references[type].has(name)) problems.push(`${TYPE_LABELS[type]} resource "${name}" is not referenced by any ${type === 'route' ? 'listener' : 'cluster'}`);
    }
  }
  return problems;
}
