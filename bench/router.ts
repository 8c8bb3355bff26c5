/**
 * The Node router under load, beside what it is measured against, in one run on one shared
 * backend: direct (load → backend), the minimal undici proxy (the floor for a Node proxy),
 * the triggerway router (`triggerway serve`) and nginx (when installed). Repetitions are
 * interleaved (every target and payload once, then again), and the report gives medians.
 *   npm run bench:router -- [--duration 5 --reps 5 --connections 50 --targets … --payloads …]
 * See router-options.ts for every flag and bench/README.md ("Router under load") for what
 * the figures mean. The parts: router-process.ts (children, cleanup), router-targets.ts with
 * router-triggerway.ts and router-nginx.ts (targets), router-backend.ts and
 * router-minimal-proxy.ts (child scripts), router-load.ts with router-wrk.ts and
 * router-autocannon.ts (load), router-cpu.ts (CPU time), router-report.ts (tables).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineLoad, sampleMachine, sampleTree, treeCpuSeconds } from './router-cpu.js';
import { runLoad, type LoadSpec } from './router-load.js';
import { NGINX } from './router-nginx.js';
import { parseOptions, USAGE, type RouterBenchOptions } from './router-options.js';
import type { Payload } from './router-payloads.js';
import { stopAll, stopChildrenOnExit, type BenchProcess } from './router-process.js';
import { reportRun, reportTables, sanityFailures, type Out, type RunRecord } from './router-report.js';
import { startBackend, startTarget, verifyTarget, type Target } from './router-targets.js';
import { RouterUnavailable } from './router-triggerway.js';
import { WRK } from './router-wrk.js';

function machine(options: RouterBenchOptions): string {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    model = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? model;
  } catch {
    // not Linux: keep os.cpus()'s
  }
  // wrk -v exits 1 and nginx -v writes to stderr: the first line of either stream.
  const version = (command: string, flag: string): string => {
    const { stdout, stderr } = spawnSync(command, [flag], { encoding: 'utf8' });
    return `${stdout ?? ''}${stderr ?? ''}`.split('\n')[0]!.replace(/ Copyright.*$/, '').trim();
  };
  const tool = options.tool === 'wrk' ? `${version(WRK, '-v')}, ${options.threads} thread(s)` : 'autocannon 8 (in the bench process)';
  const nginx = options.targets.includes('nginx') ? `; ${version(NGINX, '-v')}` : '';
  return `${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${model}, Node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; load generator: ${tool}${nginx}`;
}

/** Starts every target it can: the router may be missing (skipped, loudly), nothing else. */
async function startTargets(options: RouterBenchOptions, backendPort: number, workDir: string, out: Out): Promise<Target[]> {
  const targets: Target[] = [];
  const router = { cli: options.cli, workers: options.workers, readyTimeoutMs: options.routerTimeoutMs };
  for (const name of options.targets) {
    try {
      const target = await startTarget(name, { backend: { port: backendPort }, connections: options.connections, workDir, router });
      await verifyTarget(target, name === 'router' ? 10_000 : 2_000);
      targets.push(target);
    } catch (error) {
      if (!(error instanceof RouterUnavailable)) throw error;
      out(`SKIPPING router: it did not log "router listening" within ${options.routerTimeoutMs / 1000} s. ${error.message}`);
      out();
    }
  }
  return targets;
}

async function measure(options: RouterBenchOptions, target: Target, payload: Payload, rep: number, backend: BenchProcess, workDir: string): Promise<RunRecord> {
  const spec = (durationS: number): LoadSpec => ({ port: target.port, payload, connections: options.connections, durationS, threads: options.threads, workDir });
  if (options.warmupS > 0) await runLoad(options.tool, spec(options.warmupS));
  const proxyBefore = target.proxy && sampleTree(target.proxy.pid);
  const backendBefore = sampleTree(backend.pid);
  const machineBefore = sampleMachine();
  const load = await runLoad(options.tool, spec(options.durationS));
  const machineAfter = sampleMachine();
  const proxyCpuS = proxyBefore && treeCpuSeconds(proxyBefore, sampleTree(target.proxy!.pid));
  const backendCpuS = treeCpuSeconds(backendBefore, sampleTree(backend.pid));
  for (const child of [backend, target.proxy]) {
    if (child && !child.alive) throw new Error(`${child.name} died during ${target.name} ${payload.name}; its output:\n${child.tail()}`);
  }
  return { target: target.name, payload, rep, load, proxyCpuS, backendCpuS, ...machineLoad(machineBefore, machineAfter) };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const out: Out = (line = ''): void => console.log(line);
  stopChildrenOnExit();
  const workDir = mkdtempSync(join(tmpdir(), 'triggerway-bench-router-'));
  // Also on SIGINT, whose handler exits without unwinding to the finally below.
  process.once('exit', () => rmSync(workDir, { recursive: true, force: true }));
  try {
    out(`bench/router — ${machine(options)}`);
    out(`${options.connections} connections, ${options.durationS} s per run after ${options.warmupS} s of warm-up, ${options.reps} interleaved repetitions; medians reported`);
    for (const skipped of options.skipped) out(`SKIPPING ${skipped}`);
    out();
    const backend = await startBackend();
    const targets = await startTargets(options, backend.port, workDir, out);
    const runs: RunRecord[] = [];
    for (let rep = 0; rep < options.reps; rep++) {
      for (const payload of options.payloads) {
        for (const target of targets) {
          const run = await measure(options, target, payload, rep, backend.child, workDir);
          reportRun(out, run, options.reps);
          runs.push(run);
        }
      }
    }
    out();
    reportTables(out, runs, targets.map((target) => target.name), options.payloads);
    const failures = sanityFailures(runs);
    for (const failure of failures) out(`SANITY CHECK FAILED: ${failure}`);
    return failures.length === 0 ? 0 : 1;
  } finally {
    await stopAll();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`bench/router: ${(error as Error).message}`);
  process.exitCode = 1;
}
