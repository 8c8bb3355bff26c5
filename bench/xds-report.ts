/**
 * The printed report of bench/xds: one function a section (the fleet, 1. cold build,
 * 2. single-trigger change, 7a. publisher bursts, and 3-7 for each server run), each taking
 * the measurements and the line printer. The progress lines a server run prints as it goes
 * stay with the run (bench/xds-server.ts). See bench/README.md ("xDS") for the figures.
 */
import { DEFAULT_QUIET_MS } from '../src/xds/snapshot-publisher.js';
import type { ColdRun, RebuildSample } from './xds-build.js';
import type { Fleet } from './xds-fleet.js';
import { BURST_UPDATES, BURST_WINDOW_MS, type BurstResult } from './xds-publisher.js';
import type { ChangeSample, ServerResult } from './xds-server.js';
import { kib, median, mib, ms, spread } from './xds-stats.js';

/** Prints one line of the report (an empty one without `line`). */
export type Out = (line?: string) => void;

export function reportFleet(out: Out, fleet: Fleet, protoMs: number): void {
  const refused = fleet.result.statuses.filter((status) => status.rejections.length > 0).length;
  out(`fleet: ${fleet.triggers.length} triggers, ${fleet.tenants.length} tenants, ${fleet.hostGroups.length} HostGroups → ${fleet.result.table.hosts.length} hosts, ${refused} refused (YAML ${mib(fleet.yamlBytes)} parsed in ${ms(fleet.parseMs)}; protos loaded in ${ms(protoMs)})`);
}

/** Section 1, from one ColdRun a run (the first is the first in the process). */
export function reportCold(out: Out, fleet: Fleet, colds: readonly ColdRun[]): void {
  const coldTotal = (run: ColdRun): number => run.admitMs + run.encodeMs + run.gateMs + run.snapshotMs + run.sotwFieldsMs + run.sotwResponsesMs;
  const col = (pick: (run: ColdRun) => number): string => `${ms(median(colds.map(pick)))} (first ${ms(pick(colds[0]!))}, min ${ms(Math.min(...colds.map(pick)))}, max ${ms(Math.max(...colds.map(pick)))})`;
  const sizes = colds[0]!.sizes;
  out();
  out(`1. cold build, median of ${colds.length} (first run in the process, min, max)`);
  out(`   resources: RouteConfiguration ${mib(sizes.route)}, ${fleet.result.table.hostGroups.length} clusters ${kib(sizes.cluster)}, ${fleet.result.table.hostGroups.length} load assignments ${kib(sizes.endpoint)}, listener ${kib(sizes.listener)}; full SotW responses ${mib(colds[0]!.responseBytes)}`);
  out(`   admission                    ${col((r) => r.admitMs)}`);
  out(`   encode (TableEncoder)        ${col((r) => r.encodeMs)}`);
  out(`   consistency gate             ${col((r) => r.gateMs)}`);
  out(`   makeSnapshot                 ${col((r) => r.snapshotMs)}`);
  out(`   sotwField, every resource    ${col((r) => r.sotwFieldsMs)}`);
  out(`   4 full SotW responses        ${col((r) => r.sotwResponsesMs)}`);
  out(`   deltaField, every resource   ${col((r) => r.deltaFieldsMs)}`);
  out(`   4 full delta responses       ${col((r) => r.deltaResponsesMs)}`);
  out(`   total (admit → SotW bytes)   ${col(coldTotal)}   target ≤ 300 ms`);
  out(`   total without admission      ${col((r) => coldTotal(r) - r.admitMs)}`);
}

/** Section 2. */
export function reportRebuilds(out: Out, samples: readonly RebuildSample[]): void {
  const pick = (f: (s: RebuildSample) => number): number[] => samples.map(f);
  const rebuildMs = pick((s) => s.encodeMs + s.gateMs + s.snapshotMs);
  out();
  out(`2. single-trigger change, ${samples.length} changes (p99 of ${samples.length} is the max)`);
  out(`   admission                    ${spread(pick((s) => s.admitMs))}`);
  out(`   encode                       ${spread(pick((s) => s.encodeMs))}`);
  out(`   consistency gate             ${spread(pick((s) => s.gateMs))}`);
  out(`   makeSnapshot                 ${spread(pick((s) => s.snapshotMs))}`);
  out(`   rebuild = encode+gate+snap   ${spread(rebuildMs)}   target ≤ 5 ms`);
  out(`   + sotwField (changed only)   ${spread(pick((s) => s.sotwFieldsMs))}`);
  out(`   + deltaField (changed only)  ${spread(pick((s) => s.deltaFieldsMs))}`);
  out(`   virtual hosts encoded/change ${[...new Set(pick((s) => s.virtualHosts))].join(', ')}; resources changed/change ${[...new Set(pick((s) => s.changedResources))].join(', ')}; sotw/delta encodings/change ${[...new Set(pick((s) => s.sotwEncodings))].join(', ')}/${[...new Set(pick((s) => s.deltaEncodings))].join(', ')}`);
}

/** Section 7a. */
export function reportPublisherBursts(out: Out, bursts: readonly BurstResult[]): void {
  out();
  out(`7a. burst of ${BURST_UPDATES} table updates in ${BURST_WINDOW_MS} ms, publisher only (no server)`);
  for (const b of bursts) {
    out(`   quiet ${b.quietMs} ms / max wait ${b.maxWaitMs} ms: ${b.updates} updates in ${ms(b.durationMs)} → ${b.snapshots} snapshots, ${b.builds} builds (encode ${ms(b.encodeMs)} in all, ${b.virtualHosts} virtual hosts); last table published ${ms(b.settleMs)} after the last update`);
  }
}

/** Sections 3-7 for one server run (one protocol). */
export function reportServer(out: Out, server: ServerResult): void {
  const all = (f: (c: ChangeSample) => number[]): number[] => server.changes.flatMap(f);
  const each = (f: (c: ChangeSample) => number): number[] => server.changes.map(f);
  const ack = all((c) => c.ackMs);
  out();
  out(`   ${server.protocol}, ${server.clients} clients, ${server.changes.length} changes (${ack.length} ACKs)`);
  out(`   change → ACK                 ${spread(ack)}   target p99 ≤ 100 ms`);
  out(`   change → response received   ${spread(all((c) => c.receiveMs))}`);
  out(`   publish (encode+snap+push)   ${spread(each((c) => c.publishMs))}`);
  out(`     encode                     ${spread(each((c) => c.encodeMs))}`);
  out(`     push to every stream       ${spread(each((c) => c.pushMs))}`);
  out(`   per change: bytes ${mib(median(each((c) => c.bytes)))} (${kib(median(each((c) => c.bytes)) / server.clients)} per client; RDS ${mib(median(each((c) => c.bytesByType.route)))}, CDS ${kib(median(each((c) => c.bytesByType.cluster)))}, EDS ${kib(median(each((c) => c.bytesByType.endpoint)))}, LDS ${kib(median(each((c) => c.bytesByType.listener)))}); responses ${median(each((c) => c.responses))}`);
  out(`   per change: virtual hosts encoded ${[...new Set(each((c) => c.virtualHosts))].join(', ')}; sotw encodings ${[...new Set(each((c) => c.sotwEncodings))].join(', ')}; delta encodings ${[...new Set(each((c) => c.deltaEncodings))].join(', ')} (${server.clients} streams)`);
  out(`   CPU per change: server ${ms(median(each((c) => c.serverCpuMs)))}, client process ${ms(median(each((c) => c.clientCpuMs)))}`);
  out(`   initial sync of ${server.clients} clients ${ms(server.initialSyncMs)}, ${mib(server.initialBytes)} sent`);
  const mem = (label: string, m: ServerResult['memoryBefore']): string => `${label} rss ${mib(m.rss)}, heap ${mib(m.heapUsed)}, external ${mib(m.external)}`;
  out(`   memory after GC: ${mem('fleet admitted', server.memoryBefore)}; ${mem('published', server.memoryPublished)}`);
  out(`                    ${mem(`${server.clients} clients connected`, server.memoryConnected)}   target ≤ 150 MB`);
  out(`                    ${mem('after the changes', server.memoryAfter)}`);
  out(`   peak rss sampled during changes ${mib(server.peakRss)}; process maxRSS ${mib(server.maxRss)} (includes parsing the YAML)`);
  out(`   NACKs ${server.nacks}`);
  if (server.debounced.length > 0) {
    const debouncedAck = server.debounced.flatMap((c) => c.ackMs);
    out(`   debounced (update() only, quiet ${DEFAULT_QUIET_MS} ms) change → ACK ${spread(debouncedAck)}; update() → encode starts ${spread(server.debounced.map((c) => c.waitMs))}`);
  }
  for (const b of server.bursts) {
    out(`   burst, quiet ${b.quietMs} ms / max wait ${b.maxWaitMs} ms: ${b.updates} updates in ${ms(b.durationMs)} → ${b.snapshots} snapshots, ${b.builds} builds (encode ${ms(b.encodeMs)} in all, ${b.virtualHosts} virtual hosts), ${b.routeResponsesPerClient.toFixed(1)} RDS responses and ${mib(b.bytesPerClient)} per client, all ACKed ${ms(b.settleMs)} after the last update`);
  }
}
