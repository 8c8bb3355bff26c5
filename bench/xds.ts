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
 * See bench/README.md ("xDS") for what each figure means. This file parses the options and
 * runs the sections; the parts: xds-fleet.ts (the fleet and its changes), xds-build.ts (1, 2),
 * xds-publisher.ts (timed encoder and cache, bursts: 7a, 7), xds-server.ts (3-7, with
 * xds-sync.ts and xds-client-process.ts), xds-report.ts (the printed report), xds-stats.ts.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { loadXdsProtos } from '../src/xds/proto/load.js';
import { DEFAULT_MAX_WAIT_MS, DEFAULT_QUIET_MS } from '../src/xds/snapshot-publisher.js';
import type { Protocol } from './xds-client.js';
import { coldRun, rebuilds, type BuildState, type ColdRun } from './xds-build.js';
import { Fleet } from './xds-fleet.js';
import { publisherBurst } from './xds-publisher.js';
import { reportCold, reportFleet, reportPublisherBursts, reportRebuilds, reportServer, type Out } from './xds-report.js';
import { forkServer, serverChild, type ServerOptions, type ServerResult } from './xds-server.js';
import { kib, mib, timed } from './xds-stats.js';

// ---------------------------------------------------------------- options

interface BenchOptions extends ServerOptions {
  readonly runs: number;
  readonly rebuilds: number;
  readonly protocols: readonly Protocol[];
  readonly server: boolean;
  /** Skip the in-process phases (1, 2, 7a). */
  readonly serverOnly: boolean;
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

function cpuModel(): string {
  try {
    return /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
}

// ---------------------------------------------------------------- main

async function inProcess(options: BenchOptions, out: Out): Promise<void> {
  const fleet = new Fleet();
  const [, protoMs] = timed(() => loadXdsProtos());
  reportFleet(out, fleet, protoMs);

  // 1. Cold.
  const colds: ColdRun[] = [];
  let warm: BuildState | undefined;
  for (let run = 0; run < options.runs; run++) {
    const cold = coldRun(fleet);
    colds.push(cold.run);
    warm = cold;
  }
  reportCold(out, fleet, colds);

  // 2. One trigger's rebuild.
  reportRebuilds(out, rebuilds(fleet, options.rebuilds, warm!));

  // 7a. Debounce, publisher only.
  const publisherBursts = [await publisherBurst(fleet.result.table, DEFAULT_QUIET_MS, DEFAULT_MAX_WAIT_MS), await publisherBurst(fleet.result.table, 0, 0)];
  reportPublisherBursts(out, publisherBursts);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const child = process.argv.indexOf('--server-child');
  if (child !== -1) return serverChild(options, process.argv[child + 1] as Protocol);
  const out: Out = (line = ''): void => console.log(line);
  const machine = `node ${process.version}, ${cpus().length} × ${cpuModel()}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
  out(`bench/xds — ${machine}`);
  out(`options: runs ${options.runs}, clients ${options.clients}, changes ${options.changes}, rebuilds ${options.rebuilds}, protocols ${options.protocols.join('+')}, client window ${kib(options.window)}, spacing ${options.spacingMs} ms`);

  if (!options.serverOnly) await inProcess(options, out);

  // 3-7. Server.
  const servers: ServerResult[] = [];
  if (options.server) {
    out();
    out(`3-7. ADS server in a fresh process per protocol, ${options.clients} clients in its child process; change → ACK from publisher.update()+flush()`);
    for (const protocol of options.protocols) servers.push(await forkServer(protocol, options.profDir));
    for (const server of servers) reportServer(out, server);
  }
  out();
  out(`done; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; process maxRSS ${mib(process.resourceUsage().maxRSS * 1024)}`);
}

await main();
