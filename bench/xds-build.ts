/**
 * The in-process build measurements of bench/xds (sections 1 and 2): a cold build of the
 * whole fleet (admission, encode, consistency gate, snapshot, SotW and delta bytes) and
 * single-trigger rebuilds on top of the last cold build's encoder, snapshot and versions,
 * counting what each rebuild re-encoded.
 */
import { consistencyProblems, type ResourceNames } from '../src/xds/cache/consistency.js';
import { encodingStats, type ResourceEntry } from '../src/xds/cache/resource-entry.js';
import { makeSnapshot, type ResourceSet, type Snapshot } from '../src/xds/cache/snapshot.js';
import { VersionSequence } from '../src/xds/cache/version.js';
import { encodeDeltaDiscoveryResponse, encodeDiscoveryResponse } from '../src/xds/server/response-encoding.js';
import { TableEncoder } from '../src/xds/table-encoder.js';
import { TYPE_URLS, XDS_TYPES, type XdsType } from '../src/xds/xds-types.js';
import type { Fleet } from './xds-fleet.js';
import { sum, timed } from './xds-stats.js';

function namesOf(resources: ResourceSet): ResourceNames {
  return Object.fromEntries(XDS_TYPES.map((type) => [type, new Set(resources[type].map((resource) => resource.name))])) as unknown as ResourceNames;
}

const entriesOf = (snapshot: Snapshot): ResourceEntry[] => XDS_TYPES.flatMap((type) => [...snapshot.types[type].resources.values()]);

/** Entries of `next` that are not carried over from `previous` (changed or new resources). */
function changedEntries(next: Snapshot, previous: Snapshot): number {
  let changed = 0;
  for (const type of XDS_TYPES) for (const entry of next.types[type].resources.values()) if (previous.types[type].resources.get(entry.name) !== entry) changed += 1;
  return changed;
}

/** What a cold build leaves for the rebuilds to start from. */
export interface BuildState {
  encoder: TableEncoder;
  snapshot: Snapshot;
  versions: VersionSequence;
}

// ---------------------------------------------------------------- 1. cold build

export interface ColdRun {
  admitMs: number;
  encodeMs: number;
  gateMs: number;
  snapshotMs: number;
  sotwFieldsMs: number;
  sotwResponsesMs: number;
  deltaFieldsMs: number;
  deltaResponsesMs: number;
  sizes: Record<XdsType, number>;
  responseBytes: number;
}

export function coldRun(fleet: Fleet): BuildState & { run: ColdRun } {
  const [result, admitMs] = fleet.admitCold();
  const encoder = new TableEncoder();
  const [encoded, encodeMs] = timed(() => encoder.encode(result.table));
  const [problems, gateMs] = timed(() => consistencyProblems(namesOf(encoded.resources), encoded.references));
  if (problems.length > 0) throw new Error(`inconsistent snapshot: ${problems[0]}`);
  const versions = new VersionSequence();
  const [snapshot, snapshotMs] = timed(() => makeSnapshot(encoded.resources, versions.next(), undefined));
  const entries = entriesOf(snapshot);
  const [, sotwFieldsMs] = timed(() => entries.forEach((entry) => entry.sotwField()));
  let responseBytes = 0;
  const [, sotwResponsesMs] = timed(() => {
    for (const type of XDS_TYPES) {
      const typeSnapshot = snapshot.types[type];
      responseBytes += encodeDiscoveryResponse({ versionInfo: typeSnapshot.version, typeUrl: TYPE_URLS[type], nonce: '1', resources: [...typeSnapshot.resources.values()], controlPlane: 'triggerway/bench' }).length;
    }
  });
  const [, deltaFieldsMs] = timed(() => entries.forEach((entry) => entry.deltaField()));
  const [, deltaResponsesMs] = timed(() => {
    for (const type of XDS_TYPES) {
      const typeSnapshot = snapshot.types[type];
      encodeDeltaDiscoveryResponse({ systemVersionInfo: typeSnapshot.version, typeUrl: TYPE_URLS[type], nonce: '1', resources: [...typeSnapshot.resources.values()], removedResources: [], controlPlane: 'triggerway/bench' });
    }
  });
  const sizes = Object.fromEntries(XDS_TYPES.map((type) => [type, sum([...snapshot.types[type].resources.values()].map((entry) => entry.body.length))])) as Record<XdsType, number>;
  fleet.result = result;
  return { run: { admitMs, encodeMs, gateMs, snapshotMs, sotwFieldsMs, sotwResponsesMs, deltaFieldsMs, deltaResponsesMs, sizes, responseBytes }, encoder, snapshot, versions };
}

// ---------------------------------------------------------------- 2. one trigger's rebuild

export interface RebuildSample {
  admitMs: number;
  encodeMs: number;
  gateMs: number;
  snapshotMs: number;
  sotwFieldsMs: number;
  deltaFieldsMs: number;
  virtualHosts: number;
  changedResources: number;
  sotwEncodings: number;
  deltaEncodings: number;
}

export function rebuilds(fleet: Fleet, count: number, state: BuildState): RebuildSample[] {
  const samples: RebuildSample[] = [];
  let previous = state.snapshot;
  for (let i = 0; i < count; i++) {
    const { result, admitMs } = fleet.change();
    const hostsBefore = state.encoder.encodedVirtualHosts;
    const [encoded, encodeMs] = timed(() => state.encoder.encode(result.table));
    const [problems, gateMs] = timed(() => consistencyProblems(namesOf(encoded.resources), encoded.references));
    if (problems.length > 0) throw new Error(`inconsistent snapshot: ${problems[0]}`);
    const [next, snapshotMs] = timed(() => makeSnapshot(encoded.resources, state.versions.peek(), previous));
    if (next === previous) throw new Error('a changed trigger left the snapshot unchanged');
    state.versions.next();
    const before = { ...encodingStats };
    const entries = entriesOf(next);
    const [, sotwFieldsMs] = timed(() => entries.forEach((entry) => entry.sotwField()));
    const [, deltaFieldsMs] = timed(() => entries.forEach((entry) => entry.deltaField()));
    samples.push({
      admitMs,
      encodeMs,
      gateMs,
      snapshotMs,
      sotwFieldsMs,
      deltaFieldsMs,
      virtualHosts: state.encoder.encodedVirtualHosts - hostsBefore,
      changedResources: changedEntries(next, previous),
      sotwEncodings: encodingStats.sotwEntries - before.sotwEntries,
      deltaEncodings: encodingStats.deltaEntries - before.deltaEntries,
    });
    previous = next;
  }
  state.snapshot = previous;
  return samples;
}
