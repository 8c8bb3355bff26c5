/**
 * The xDS control plane at fleet scale (ISSUE_FLEET: 10,000 triggers): cold build, one
 * trigger's rebuild, change → ACK latency over 100 ADS clients in a separate process,
 * bytes per change, memory, "serialised once per version", and the publisher's debounce.
 *   npm run build && node dist/bench/xds.js [--runs N]
 * Options: --runs N (cold builds, 5), --rebuilds N (single-trigger rebuilds, 50),
 *   --clients N (100), --changes N (20), --debounced N (changes without flush(), 10; 0 also
 *   skips the bursts with clients), --protocols sotw,delta, --window BYTES (the clients' HTTP/2
 *   window; 256 MiB, Envoy's default), --spacing MS (pause between changes, 250),
 *   --server-only / --no-server, --prof-dir DIR (V8 CPU profiles of the server and clients).
 * Each server run is a fresh process (its RSS is the server's); the clients are its child.
 * See bench/README.md ("xDS") for what each figure means.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { admit } from '../src/admission/admit.js';
import { tableOwners } from '../src/admission/route-table.js';
import type { AdmissionResult, HostRoutes, RouteTable } from '../src/admission/types.js';
import type { HostGroup, HTTPTrigger, Tenant } from '../src/model/resources.js';
import { parseManifestText } from '../src/model/parse-file.js';
import { consistencyProblems, type ResourceNames } from '../src/xds/cache/consistency.js';
import { encodingStats, type ResourceEntry } from '../src/xds/cache/resource-entry.js';
import { makeSnapshot, type ResourceSet, type Snapshot } from '../src/xds/cache/snapshot.js';
import { SnapshotCache } from '../src/xds/cache/snapshot-cache.js';
import { VersionSequence } from '../src/xds/cache/version.js';
import { DataPlaneRegistry, heldSeq } from '../src/xds/data-plane-registry.js';
import { loadXdsProtos } from '../src/xds/proto/load.js';
import { clusterName, ROUTE_CONFIGURATION_NAME } from '../src/xds/resources/names.js';
import { AdsServer } from '../src/xds/server/ads-server.js';
import { encodeDeltaDiscoveryResponse, encodeDiscoveryResponse } from '../src/xds/server/response-encoding.js';
import type { SessionInfo, SessionObserver } from '../src/xds/server/session-observer.js';
import { DEFAULT_MAX_WAIT_MS, DEFAULT_QUIET_MS, SnapshotPublisher } from '../src/xds/snapshot-publisher.js';
import { TableEncoder } from '../src/xds/table-encoder.js';
import { TYPE_URLS, XDS_TYPES, type XdsType } from '../src/xds/xds-types.js';
import { fleetYaml, ISSUE_FLEET, triggerYaml } from './fleet.js';
import { monotonicMs, type ChildMessage, type ClientFleetOptions, type ParentMessage, type Protocol } from './xds-client.js';

// ---------------------------------------------------------------- options

interface BenchOptions {
  readonly runs: number;
  readonly clients: number;
  readonly changes: number;
  readonly rebuilds: number;
  readonly protocols: readonly Protocol[];
  readonly window: number;
  readonly debounced: number;
  readonly server: boolean;
  /** Skip the in-process phases (1, 2, 7a). */
  readonly serverOnly: boolean;
  /** Pause between changes, so they do not overlap. */
  readonly spacingMs: number;
  /** Write V8 CPU profiles of the server and client processes here. */
  readonly profDir: string | undefined;
}

function parseOptions(argv: readonly string[]): BenchOptions {
  const value = (flag: string, fallback: string): string => {
    const index = argv.indexOf(flag);
    return index === -1 ? fallback : (argv[index + 1] ?? fallback);
  };
  const count = (flag: string, fallback: number): number => {
    const parsed = Number(value(flag, String(fallback)));
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${flag} wants a whole number`);
    return parsed;
  };
  const protocols = value('--protocols', 'sotw,delta').split(',').filter(Boolean);
  for (const protocol of protocols) if (protocol !== 'sotw' && protocol !== 'delta') throw new Error(`--protocols: unknown "${protocol}"`);
  return {
    runs: Math.max(1, count('--runs', 5)),
    clients: Math.max(1, count('--clients', 100)),
    changes: Math.max(1, count('--changes', 20)),
    rebuilds: Math.max(1, count('--rebuilds', 50)),
    protocols: protocols as Protocol[],
    window: count('--window', 256 * 1024 * 1024),
    debounced: count('--debounced', 10),
    server: !argv.includes('--no-server'),
    serverOnly: argv.includes('--server-only'),
    spacingMs: count('--spacing', 250),
    profDir: argv.includes('--prof-dir') ? value('--prof-dir', '') : undefined,
  };
}

// ---------------------------------------------------------------- helpers

function timed<T>(work: () => T): [T, number] {
  const start = monotonicMs();
  const result = work();
  return [result, monotonicMs() - start];
}

const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);
const median = (values: readonly number[]): number => percentile(values, 50);
/** Nearest rank: p99 of 50 samples is the largest. */
function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const ordered = sorted(values);
  return ordered[Math.min(ordered.length - 1, Math.max(0, Math.ceil((p / 100) * ordered.length) - 1))]!;
}
const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
const ms = (value: number): string => (Number.isNaN(value) ? '-' : value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`);
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const kib = (bytes: number): string => (bytes >= 1024 * 1024 ? mib(bytes) : `${(bytes / 1024).toFixed(1)} KiB`);
const spread = (values: readonly number[]): string => `p50 ${ms(percentile(values, 50))}, p99 ${ms(percentile(values, 99))}, max ${ms(Math.max(...values))}`;
const sleep = (delay: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, delay));
const profArgs = (dir: string | undefined): string[] => (dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []);

/** `gc()` even without --expose-gc (the flag can be set at run time for a new context). */
function gcFunction(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
const gc = gcFunction();

function memory(): { rss: number; heapUsed: number; external: number; arrayBuffers: number } {
  gc();
  gc();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}

function cpuModel(): string {
  try {
    return /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
}

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

// ---------------------------------------------------------------- the fleet

/** Triggers whose host is plain `t<t>.ns-<n>.example.com` and admitted (not wildcard, not poaching). */
const PLAIN_TRIGGERS = [0, 1, 2, 4, 5, 6, 8, 9];

class Fleet {
  readonly triggers: HTTPTrigger[];
  readonly hostGroups: HostGroup[];
  readonly tenants: Tenant[];
  readonly parseMs: number;
  readonly yamlBytes: number;
  result: AdmissionResult;
  readonly #index = new Map<string, number>();
  #changes = 0;

  constructor() {
    const text = fleetYaml(ISSUE_FLEET);
    this.yamlBytes = Buffer.byteLength(text);
    const [parsed, parseMs] = timed(() => parseManifestText(text, 'fleet.yaml'));
    if (parsed.errors.length > 0) throw new Error(`fleet does not parse: ${parsed.errors[0]!.message}`);
    this.parseMs = parseMs;
    this.triggers = parsed.manifests.filter((m): m is HTTPTrigger => m.kind === 'HTTPTrigger');
    this.hostGroups = parsed.manifests.filter((m): m is HostGroup => m.kind === 'HostGroup');
    this.tenants = parsed.manifests.filter((m): m is Tenant => m.kind === 'Tenant');
    this.triggers.forEach((trigger, index) => this.#index.set(`${trigger.metadata.namespace}/${trigger.metadata.name}`, index));
    this.result = admit({ triggers: this.triggers, hostGroups: this.hostGroups, tenants: this.tenants });
  }

  admitCold(): [AdmissionResult, number] {
    return timed(() => admit({ triggers: this.triggers, hostGroups: this.hostGroups, tenants: this.tenants }));
  }

  /** One trigger gains a path (a different trigger each time); admission runs as `serve` runs it. */
  change(): { result: AdmissionResult; admitMs: number; host: string } {
    const k = this.#changes++;
    const n = (k * 389 + 11) % ISSUE_FLEET.namespaces;
    const t = PLAIN_TRIGGERS[k % PLAIN_TRIGGERS.length]!;
    const parsed = parseManifestText(triggerYaml(ISSUE_FLEET, n, t, [`/change-${k}`]), 'changed.yaml');
    if (parsed.errors.length > 0) throw new Error(`changed trigger does not parse: ${parsed.errors[0]!.message}`);
    const changed = parsed.manifests[0] as HTTPTrigger;
    const index = this.#index.get(`${changed.metadata.namespace}/${changed.metadata.name}`);
    if (index === undefined) throw new Error('changed trigger is not in the fleet');
    this.triggers[index] = changed;
    const previousOwners = tableOwners(this.result.table);
    const [result, admitMs] = timed(() => admit({ triggers: this.triggers, hostGroups: this.hostGroups, tenants: this.tenants, previousOwners }));
    this.result = result;
    return { result, admitMs, host: `t${t}.ns-${String(n).padStart(4, '0')}.example.com` };
  }
}

const BURST_UPDATES = 500;
const BURST_WINDOW_MS = 200;

/** BURST_UPDATES distinct tables handed to `publisher.update()`, evenly over BURST_WINDOW_MS. */
async function issueBurst(publisher: SnapshotPublisher, base: RouteTable): Promise<{ last: RouteTable; lastUpdate: number; durationMs: number }> {
  const start = monotonicMs();
  let issued = 0;
  let last = base;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(BURST_UPDATES, Math.ceil((BURST_UPDATES * (monotonicMs() - start)) / BURST_WINDOW_MS));
      for (; issued < due; issued++) publisher.update((last = burstTable(base, issued)));
      if (issued >= BURST_UPDATES) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const lastUpdate = monotonicMs();
  return { last, lastUpdate, durationMs: lastUpdate - start };
}

/**
 * The publisher alone (no server, no clients): how many snapshots a burst makes, so the
 * burst is not slowed by pushing 4 MiB to every stream on each build.
 */
async function publisherBurst(base: RouteTable, quietMs: number, maxWaitMs: number): Promise<BurstResult> {
  const cache = new TimedCache();
  const encoder = new TimedEncoder();
  let builds = 0;
  let lastAt: { table: RouteTable; at: number } | undefined;
  const publisher = new SnapshotPublisher({
    cache,
    encoder,
    quietMs,
    maxWaitMs,
    onPublished: ({ table }) => {
      builds += 1;
      lastAt = { table, at: monotonicMs() };
    },
  });
  publisher.update(base);
  await publisher.flush();
  builds = 0;
  const mark = burstMark(cache, encoder);
  const { last, lastUpdate, durationMs } = await issueBurst(publisher, base);
  const deadline = monotonicMs() + 10_000;
  while (lastAt?.table !== last) {
    if (monotonicMs() > deadline) throw new Error('the burst\'s last table was never published');
    await sleep(1);
  }
  publisher.close();
  return {
    ...burstCounts(mark, cache, encoder, { quietMs, maxWaitMs, durationMs }),
    builds,
    routeResponsesPerClient: Number.NaN,
    bytesPerClient: Number.NaN,
    settleMs: lastAt.at - lastUpdate,
  };
}

/** The publisher-side counters a burst reports, as they stand before it. */
function burstMark(cache: TimedCache, encoder: TimedEncoder) {
  return { published: cache.published, encodeMs: encoder.totalEncodeMs, virtualHosts: encoder.encodedVirtualHosts };
}

/** What a burst cost the publisher since `mark`. */
function burstCounts(mark: ReturnType<typeof burstMark>, cache: TimedCache, encoder: TimedEncoder, burst: { quietMs: number; maxWaitMs: number; durationMs: number }) {
  return {
    ...burst,
    updates: BURST_UPDATES,
    snapshots: cache.published - mark.published,
    encodeMs: encoder.totalEncodeMs - mark.encodeMs,
    virtualHosts: encoder.encodedVirtualHosts - mark.virtualHosts,
  };
}

/** `base` with one host gaining a route: a cheap distinct table for the burst test. */
function burstTable(base: RouteTable, k: number): RouteTable {
  const at = (k * 7919) % base.hosts.length;
  const host = base.hosts[at]!;
  const first = host.routes[0]!;
  const changed: HostRoutes = { ...host, routes: [{ ...first, pathType: 'Prefix', path: `/burst-${k}-longer-than-others` }, ...host.routes] };
  const hosts = base.hosts.slice();
  hosts[at] = changed;
  return { version: `${base.version}-burst-${k}`, hosts, hostGroups: base.hostGroups };
}

// ---------------------------------------------------------------- 1. cold build

interface ColdRun {
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

function coldRun(fleet: Fleet): { run: ColdRun; encoder: TableEncoder; snapshot: Snapshot; versions: VersionSequence } {
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

interface RebuildSample {
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

function rebuilds(fleet: Fleet, count: number, state: { encoder: TableEncoder; snapshot: Snapshot; versions: VersionSequence }): RebuildSample[] {
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

// ---------------------------------------------------------------- 3-7. the server and its clients

/** Times encode() for the change → ACK breakdown. */
class TimedEncoder extends TableEncoder {
  lastEncodeMs = 0;
  lastEncodeStart = 0;
  totalEncodeMs = 0;
  override encode(table: RouteTable): ReturnType<TableEncoder['encode']> {
    const start = monotonicMs();
    this.lastEncodeStart = start;
    const encoded = super.encode(table);
    this.lastEncodeMs = monotonicMs() - start;
    this.totalEncodeMs += this.lastEncodeMs;
    return encoded;
  }
}

/** Times setSnapshot(): the synchronous push of the new snapshot to every stream. */
class TimedCache extends SnapshotCache {
  lastPushMs = 0;
  published = 0;
  override setSnapshot(snapshot: Snapshot, group?: string): void {
    const start = monotonicMs();
    super.setSnapshot(snapshot, group);
    this.lastPushMs = monotonicMs() - start;
    this.published += 1;
  }
}

/**
 * The registry as the server's observer, plus: when every node holds snapshot `seq` of
 * every type it asked for (it ACKed the last response that changed), in monotonic ms.
 */
class SyncTracker implements SessionObserver {
  readonly registry: DataPlaneRegistry;
  #waiting: { seq: number; count: number; times: Map<string, number>; resolve: (times: Map<string, number>) => void } | undefined;

  constructor(registry: DataPlaneRegistry) {
    this.registry = registry;
  }

  opened(session: SessionInfo): void {
    this.registry.opened(session);
  }
  closed(session: SessionInfo): void {
    this.registry.closed(session);
  }
  nacked(session: SessionInfo, type: XdsType, version: string, message: string): void {
    this.registry.nacked(session, type, version, message);
  }
  responded(session: SessionInfo, type: XdsType, bytes: number): void {
    this.registry.responded(session, type, bytes);
  }
  synced(session: SessionInfo, type: XdsType, seq: number): void {
    this.registry.synced(session, type, seq);
    const waiting = this.#waiting;
    if (!waiting || seq < waiting.seq || waiting.times.has(session.node.id)) return;
    const state = this.registry.nodes.get(session.node.id);
    if (state && state.synced.size === XDS_TYPES.length && heldSeq(state) >= waiting.seq) this.#record(session.node.id);
  }

  /** Resolves with node → time once `count` nodes hold `seq` (nodes that already do count now). */
  waitFor(seq: number, count: number, timeoutMs: number): Promise<Map<string, number>> {
    if (this.#waiting) throw new Error('already waiting');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const got = this.#waiting?.times.size ?? 0;
        this.#waiting = undefined;
        reject(new Error(`${got}/${count} nodes synced seq ${seq} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting = {
        seq,
        count,
        times: new Map(),
        resolve: (times) => {
          clearTimeout(timer);
          resolve(times);
        },
      };
      for (const [id, state] of this.registry.nodes) if (state.streams.size > 0 && state.synced.size === XDS_TYPES.length && heldSeq(state) >= seq) this.#record(id);
    });
  }

  #record(id: string): void {
    const waiting = this.#waiting!;
    waiting.times.set(id, monotonicMs());
    if (waiting.times.size >= waiting.count) {
      this.#waiting = undefined;
      waiting.resolve(waiting.times);
    }
  }
}

/** The client fleet's process. */
class ClientProcess {
  readonly #child: ChildProcess;
  readonly #waiters: ((message: ChildMessage) => boolean)[] = [];
  #failure: Error | undefined;
  #nextId = 0;

  constructor(profDir: string | undefined) {
    const script = fileURLToPath(new URL('./xds-client.js', import.meta.url));
    this.#child = fork(script, [], { execArgv: profArgs(profDir), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child.on('message', (message: ChildMessage) => {
      if (message.kind === 'error') this.#failure ??= new Error(`client process: ${message.message}`);
      const index = this.#waiters.findIndex((waiter) => waiter(message));
      if (index !== -1) this.#waiters.splice(index, 1);
    });
    this.#child.on('exit', (code) => {
      if (code !== 0) this.#failure ??= new Error(`client process exited with ${code}`);
    });
  }

  get failure(): Error | undefined {
    return this.#failure;
  }

  async start(options: ClientFleetOptions): Promise<void> {
    await this.#request({ kind: 'start', options }, (message) => message.kind === 'started');
  }

  async receipts(typeUrl: string, version: string): Promise<Extract<ChildMessage, { kind: 'receipts' }>> {
    const id = ++this.#nextId;
    const reply = await this.#request({ kind: 'receipts', typeUrl, version, id }, (message) => message.kind === 'receipts' && message.id === id);
    return reply as Extract<ChildMessage, { kind: 'receipts' }>;
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.send({ kind: 'stop' } satisfies ParentMessage);
    await Promise.race([exited, sleep(5_000)]);
    if (this.#child.exitCode === null) this.#child.kill();
  }

  #request(message: ParentMessage, matches: (reply: ChildMessage) => boolean): Promise<ChildMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`client process did not answer ${message.kind}`)), 30_000);
      this.#waiters.push((reply) => {
        if (!matches(reply)) return false;
        clearTimeout(timer);
        resolve(reply);
        return true;
      });
      this.#child.send(message);
    });
  }
}

interface ChangeSample {
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

interface BurstResult {
  quietMs: number;
  maxWaitMs: number;
  updates: number;
  durationMs: number;
  snapshots: number;
  builds: number;
  encodeMs: number;
  virtualHosts: number;
  routeResponsesPerClient: number;
  bytesPerClient: number;
  /** Last update() → every client ACKed the last table's snapshot. */
  settleMs: number;
}

interface ServerResult {
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

async function serverRun(fleet: Fleet, protocol: Protocol, options: BenchOptions, log: (line: string) => void): Promise<ServerResult> {
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

// ---------------------------------------------------------------- main

/**
 * Each server run gets a fresh process, so its RSS is the server's (fleet parsed and
 * admitted, as `serve` holds it) and not this process's history of cold builds.
 */
async function serverChild(options: BenchOptions, protocol: Protocol): Promise<void> {
  const fleet = new Fleet();
  loadXdsProtos();
  const result = await serverRun(fleet, protocol, options, (line) => console.log(line));
  process.send!(result, () => process.exit(0));
}

function forkServer(protocol: Protocol): Promise<ServerResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [...process.argv.slice(2), '--server-child', protocol], {
      execArgv: ['--expose-gc', ...profArgs(parseOptions(process.argv.slice(2)).profDir)],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: ServerResult | undefined;
    child.on('message', (message: ServerResult) => (result = message));
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`server process (${protocol}) exited with ${code}`))));
  });
}

async function inProcess(options: BenchOptions, out: (line?: string) => void): Promise<void> {
  const fleet = new Fleet();
  const [, protoMs] = timed(() => loadXdsProtos());
  const refused = fleet.result.statuses.filter((status) => status.rejections.length > 0).length;
  out(`fleet: ${fleet.triggers.length} triggers, ${fleet.tenants.length} tenants, ${fleet.hostGroups.length} HostGroups → ${fleet.result.table.hosts.length} hosts, ${refused} refused (YAML ${mib(fleet.yamlBytes)} parsed in ${ms(fleet.parseMs)}; protos loaded in ${ms(protoMs)})`);

  // 1. Cold.
  const colds: ColdRun[] = [];
  let warm: { encoder: TableEncoder; snapshot: Snapshot; versions: VersionSequence } | undefined;
  for (let run = 0; run < options.runs; run++) {
    const cold = coldRun(fleet);
    colds.push(cold.run);
    warm = cold;
  }
  const coldTotal = (run: ColdRun): number => run.admitMs + run.encodeMs + run.gateMs + run.snapshotMs + run.sotwFieldsMs + run.sotwResponsesMs;
  const col = (pick: (run: ColdRun) => number): string => `${ms(median(colds.map(pick)))} (first ${ms(pick(colds[0]!))}, min ${ms(Math.min(...colds.map(pick)))}, max ${ms(Math.max(...colds.map(pick)))})`;
  const sizes = colds[0]!.sizes;
  out();
  out(`1. cold build, median of ${options.runs} (first run in the process, min, max)`);
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

  // 2. One trigger's rebuild.
  const samples = rebuilds(fleet, options.rebuilds, warm!);
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

  // 7a. Debounce, publisher only.
  const publisherBursts = [await publisherBurst(fleet.result.table, DEFAULT_QUIET_MS, DEFAULT_MAX_WAIT_MS), await publisherBurst(fleet.result.table, 0, 0)];
  out();
  out(`7a. burst of ${BURST_UPDATES} table updates in ${BURST_WINDOW_MS} ms, publisher only (no server)`);
  for (const b of publisherBursts) {
    out(`   quiet ${b.quietMs} ms / max wait ${b.maxWaitMs} ms: ${b.updates} updates in ${ms(b.durationMs)} → ${b.snapshots} snapshots, ${b.builds} builds (encode ${ms(b.encodeMs)} in all, ${b.virtualHosts} virtual hosts); last table published ${ms(b.settleMs)} after the last update`);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const child = process.argv.indexOf('--server-child');
  if (child !== -1) return serverChild(options, process.argv[child + 1] as Protocol);
  const out = (line = ''): void => console.log(line);
  const machine = `node ${process.version}, ${cpus().length} × ${cpuModel()}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
  out(`bench/xds — ${machine}`);
  out(`options: runs ${options.runs}, clients ${options.clients}, changes ${options.changes}, rebuilds ${options.rebuilds}, protocols ${options.protocols.join('+')}, client window ${kib(options.window)}, spacing ${options.spacingMs} ms`);

  if (!options.serverOnly) await inProcess(options, out);

  // 3-7. Server.
  const servers: ServerResult[] = [];
  if (options.server) {
    out();
    out(`3-7. ADS server in a fresh process per protocol, ${options.clients} clients in its child process; change → ACK from publisher.update()+flush()`);
    for (const protocol of options.protocols) servers.push(await forkServer(protocol));
    for (const server of servers) {
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
      const mem = (label: string, m: ReturnType<typeof memory>): string => `${label} rss ${mib(m.rss)}, heap ${mib(m.heapUsed)}, external ${mib(m.external)}`;
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
  }
  out();
  out(`done; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; process maxRSS ${mib(process.resourceUsage().maxRSS * 1024)}`);
}

await main();
