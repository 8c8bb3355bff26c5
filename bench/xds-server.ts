/**
 * Sections 3-7 of bench/xds: the ADS server with the fleet published, the client fleet
 * connected from a child process, then change → ACK for each change (with flush() and,
 * for SotW, debounced), bytes, CPU and memory per change, and bursts through the server.
 * Each run is a fresh process forked from the entry point bench/xds.js with
 * `--server-child <protocol>`, so its RSS is the server's; it sends its ServerResult back.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RouteTable } from '../src/admission/types.js';
import { encodingStats } from '../src/xds/cache/resource-entry.js';
import type { Snapshot } from '../src/xds/cache/snapshot.js';
import { VersionSequence } from '../src/xds/cache/version.js';
import { DataPlaneRegistry } from '../src/xds/data-plane-registry.js';
import { loadXdsProtos } from '../src/xds/proto/load.js';
import { clusterName, ROUTE_CONFIGURATION_NAME } from '../src/xds/resources/names.js';
import { AdsServer } from '../src/xds/server/ads-server.js';
import { DEFAULT_MAX_WAIT_MS, DEFAULT_QUIET_MS, SnapshotPublisher } from '../src/xds/snapshot-publisher.js';
import { TYPE_URLS, XDS_TYPES, type XdsType } from '../src/xds/xds-types.js';
import { monotonicMs, type Protocol } from './xds-client.js';
import { ClientProcess, profArgs } from './xds-client-process.js';
import { Fleet } from './xds-fleet.js';
import { burstCounts, burstMark, issueBurst, TimedCache, TimedEncoder, type BurstResult } from './xds-publisher.js';
import { kib, memory, mib, ms, sleep, spread, sum } from './xds-stats.js';
import { SyncTracker } from './xds-sync.js';

/** bench/xds.js, which runs `serverChild` when given `--server-child <protocol>`. */
const ENTRY_POINT = fileURLToPath(new URL('./xds.js', import.meta.url));

/** The bench options a server run uses. */
export interface ServerOptions {
  readonly clients: number;
  readonly changes: number;
  readonly window: number;
  readonly debounced: number;
  /** Pause between changes, so they do not overlap. */
  readonly spacingMs: number;
  /** Write V8 CPU profiles of the server and client processes here. */
  readonly profDir: string | undefined;
}

export interface ChangeSample {
  /** update() → every client's ACK reached the server, one per client. */
  ackMs: number[];
  /** update() → the client process had the whole response, one per client. */
  receiveMs: number[];
  /** update() → encode, snapshot and the synchronous push to every stream done. */
  publishMs: number;
  /** update() → the encode started: the debounce's quiet period (0 with flush()). */
  waitMs: number;
  encodeMs: number;
  pushMs: number;
  bytes: number;
  bytesByType: Record<XdsType, number>;
  responses: number;
  virtualHosts: number;
  sotwEncodings: number;
  deltaEncodings: number;
  clientCpuMs: number;
  /** CPU time of the server process from update() to the last ACK. */
  serverCpuMs: number;
  /** RSS right after the publish (every response queued) and after the last ACK, no GC. */
  rss: number;
}

export interface ServerResult {
  protocol: Protocol;
  clients: number;
  initialSyncMs: number;
  initialBytes: number;
  /** After GC: the fleet parsed and admitted, no server yet. */
  memoryBefore: ReturnType<typeof memory>;
  /** After GC: the first snapshot published, no client yet. */
  memoryPublished: ReturnType<typeof memory>;
  memoryConnected: ReturnType<typeof memory>;
  memoryAfter: ReturnType<typeof memory>;
  /** Largest RSS sampled right after a publish (responses queued) or an ACK round, no GC. */
  peakRss: number;
  /** getrusage maxRSS of the server process: includes parsing the fleet's YAML. */
  maxRss: number;
  changes: ChangeSample[];
  debounced: ChangeSample[];
  bursts: BurstResult[];
  nacks: number;
}

const sentTotals = (registry: DataPlaneRegistry): Record<XdsType, { responses: number; bytes: number }> =>
  Object.fromEntries(XDS_TYPES.map((type) => [type, { ...registry.sent.get(type)! }])) as Record<XdsType, { responses: number; bytes: number }>;

async function serverRun(fleet: Fleet, protocol: Protocol, options: ServerOptions, log: (line: string) => void): Promise<ServerResult> {
  const memoryBefore = memory();
  const cache = new TimedCache();
  const registry = new DataPlaneRegistry({ graceMs: 60_000 });
  const tracker = new SyncTracker(registry);
  const encoder = new TimedEncoder();
  const versions = new VersionSequence();
  let builds = 0;
  let lastPublished: { table: RouteTable; seq: number } | undefined;
  const onPublished = ({ snapshot, table }: { snapshot: Snapshot; table: RouteTable }): void => {
    builds += 1;
    lastPublished = { table, seq: snapshot.seq };
  };
  const onRejected = (_table: RouteTable, problems: readonly string[]): never => {
    throw new Error(`snapshot rejected: ${problems[0]}`);
  };
  const publisher = new SnapshotPublisher({ cache, encoder, versions, onPublished, onRejected });
  let internalError: unknown;
  const server = new AdsServer({ cache, observer: tracker, controlPlane: `triggerway/${versions.prefix}`, onInternalError: (error) => (internalError ??= error) });
  const port = await server.listen('127.0.0.1:0');
  publisher.update(fleet.result.table);
  await publisher.flush();
  const clients = new ClientProcess(options.profDir);
  const check = (): void => {
    if (clients.failure) throw clients.failure;
    if (internalError) throw internalError;
  };
  const result: ServerResult = {
    protocol,
    clients: options.clients,
    initialSyncMs: 0,
    initialBytes: 0,
    memoryBefore,
    memoryPublished: memory(),
    memoryConnected: memoryBefore,
    memoryAfter: memoryBefore,
    peakRss: 0,
    maxRss: 0,
    changes: [],
    debounced: [],
    bursts: [],
    nacks: 0,
  };
  try {
    // Connect the fleet and wait for every node to hold every type.
    const syncStart = monotonicMs();
    const initial = tracker.waitFor(publisher.current!.seq, options.clients, 120_000);
    await clients.start({
      address: `127.0.0.1:${port}`,
      count: options.clients,
      protocol,
      clusters: fleet.result.table.hostGroups.map((group) => clusterName(group.name)),
      routeName: ROUTE_CONFIGURATION_NAME,
      nodePrefix: `bench-${protocol}`,
      nodeCluster: 'bench',
      flowControlWindow: options.window,
    });
    const initialTimes = await initial;
    result.initialSyncMs = Math.max(...initialTimes.values()) - syncStart;
    result.initialBytes = sum(XDS_TYPES.map((type) => registry.sent.get(type)!.bytes));
    await clients.receipts(TYPE_URLS.route, publisher.current!.types.route.version); // resets the client counters
    check();
    await sleep(options.spacingMs);
    result.memoryConnected = memory();
    log(`  ${protocol}: ${options.clients} clients synced in ${ms(result.initialSyncMs)} (${mib(result.initialBytes)} sent); rss ${mib(result.memoryConnected.rss)}, heap ${mib(result.memoryConnected.heapUsed)}`);

    const oneChange = async (flush: boolean): Promise<ChangeSample> => {
      const { result: admitted } = fleet.change(); // admission is outside the measured window
      await sleep(options.spacingMs);
      const seq = versions.peek().seq;
      const sentBefore = sentTotals(registry);
      const statsBefore = { ...encodingStats };
      const hostsBefore = encoder.encodedVirtualHosts;
      const synced = tracker.waitFor(seq, options.clients, 60_000);
      const cpuBefore = process.cpuUsage();
      const t0 = monotonicMs();
      publisher.update(admitted.table);
      let publishMs = Number.NaN;
      let rss = 0;
      if (flush) {
        await publisher.flush();
        publishMs = monotonicMs() - t0;
        rss = process.memoryUsage.rss();
      }
      const times = await synced;
      const cpu = process.cpuUsage(cpuBefore);
      rss = Math.max(rss, process.memoryUsage.rss());
      const current = publisher.current!;
      if (current.seq !== seq) throw new Error(`published seq ${current.seq}, expected ${seq}`);
      const receipts = await clients.receipts(TYPE_URLS.route, current.types.route.version);
      check();
      const sentAfter = sentTotals(registry);
      const bytesByType = Object.fromEntries(XDS_TYPES.map((type) => [type, sentAfter[type].bytes - sentBefore[type].bytes])) as Record<XdsType, number>;
      return {
        ackMs: [...times.values()].map((at) => at - t0),
        receiveMs: receipts.times.map((at) => at - t0),
        publishMs,
        waitMs: encoder.lastEncodeStart - t0,
        encodeMs: encoder.lastEncodeMs,
        pushMs: cache.lastPushMs,
        bytes: sum(Object.values(bytesByType)),
        bytesByType,
        responses: sum(XDS_TYPES.map((type) => sentAfter[type].responses - sentBefore[type].responses)),
        virtualHosts: encoder.encodedVirtualHosts - hostsBefore,
        sotwEncodings: encodingStats.sotwEntries - statsBefore.sotwEntries,
        deltaEncodings: encodingStats.deltaEntries - statsBefore.deltaEntries,
        clientCpuMs: receipts.cpuMs,
        serverCpuMs: (cpu.user + cpu.system) / 1000,
        rss,
      };
    };

    for (let i = 0; i < options.changes; i++) {
      const sample = await oneChange(true);
      result.changes.push(sample);
      result.peakRss = Math.max(result.peakRss, sample.rss);
      log(`  ${protocol} change ${String(i + 1).padStart(2)}: ACK ${spread(sample.ackMs)}; publish ${ms(sample.publishMs)} (encode ${ms(sample.encodeMs)}, push ${ms(sample.pushMs)}); ${kib(sample.bytes)} sent`);
    }
    if (protocol === 'sotw' && options.debounced > 0) {
      for (let i = 0; i < options.debounced; i++) {
        const sample = await oneChange(false);
        result.debounced.push(sample);
        log(`  ${protocol} debounced change ${String(i + 1).padStart(2)}: ACK ${spread(sample.ackMs)}`);
      }
      // 7. A burst of 500 table updates in 200 ms, with the defaults and with no debounce.
      const burst = async (burstPublisher: SnapshotPublisher, quietMs: number, maxWaitMs: number): Promise<BurstResult> => {
        const base = fleet.result.table;
        const buildsBefore = builds;
        const mark = burstMark(cache, encoder);
        const sentBefore = sentTotals(registry);
        const { last, lastUpdate, durationMs } = await issueBurst(burstPublisher, base);
        while (lastPublished?.table !== last) await sleep(1);
        await tracker.waitFor(lastPublished!.seq, options.clients, 60_000);
        const settleMs = monotonicMs() - lastUpdate;
        await sleep(options.spacingMs);
        check();
        const sentAfter = sentTotals(registry);
        return {
          ...burstCounts(mark, cache, encoder, { quietMs, maxWaitMs, durationMs }),
          builds: builds - buildsBefore,
          routeResponsesPerClient: (sentAfter.route.responses - sentBefore.route.responses) / options.clients,
          bytesPerClient: sum(XDS_TYPES.map((type) => sentAfter[type].bytes - sentBefore[type].bytes)) / options.clients,
          settleMs,
        };
      };
      result.bursts.push(await burst(publisher, DEFAULT_QUIET_MS, DEFAULT_MAX_WAIT_MS));
      // No debounce: a second publisher on the same cache, encoder and versions. Its first
      // build has no previous snapshot, so every resource is new; let that settle first.
      const eager = new SnapshotPublisher({ cache, encoder, versions, quietMs: 0, maxWaitMs: 0, onPublished, onRejected });
      eager.update(fleet.result.table);
      await eager.flush();
      await tracker.waitFor(eager.current!.seq, options.clients, 120_000);
      await sleep(options.spacingMs);
      result.bursts.push(await burst(eager, 0, 0));
      eager.close();
      for (const b of result.bursts) {
        log(`  burst quiet ${b.quietMs}/max ${b.maxWaitMs} ms: ${b.updates} updates in ${ms(b.durationMs)} → ${b.snapshots} snapshots (${b.builds} builds, encode ${ms(b.encodeMs)}), ${b.routeResponsesPerClient.toFixed(1)} RDS responses/client, settled ${ms(b.settleMs)} after the last update`);
      }
    }
    result.memoryAfter = memory();
    result.maxRss = process.resourceUsage().maxRSS * 1024;
    result.nacks = registry.nackCount;
  } finally {
    await clients.stop();
    publisher.close();
    await server.close(1_000);
    registry.close();
  }
  check();
  return result;
}

/**
 * Each server run gets a fresh process, so its RSS is the server's (fleet parsed and
 * admitted, as `serve` holds it) and not this process's history of cold builds.
 */
export async function serverChild(options: ServerOptions, protocol: Protocol): Promise<void> {
  const fleet = new Fleet();
  loadXdsProtos();
  const result = await serverRun(fleet, protocol, options, (line) => console.log(line));
  process.send!(result, () => process.exit(0));
}

/** Runs `serverChild` in a fresh process: the entry point, with the parent's own arguments. */
export function forkServer(protocol: Protocol, profDir: string | undefined): Promise<ServerResult> {
  return new Promise((resolve, reject) => {
    const child = fork(ENTRY_POINT, [...process.argv.slice(2), '--server-child', protocol], {
      execArgv: ['--expose-gc', ...profArgs(profDir)],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: ServerResult | undefined;
    child.on('message', (message: ServerResult) => (result = message));
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`server process (${protocol}) exited with ${code}`))));
  });
}
