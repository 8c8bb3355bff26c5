/** bench/router's command line. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultTool, LOAD_TOOLS, type LoadTool } from './router-load.js';
import { NGINX } from './router-nginx.js';
import { PAYLOADS, type Payload } from './router-payloads.js';
import { TARGET_NAMES, type TargetName } from './router-targets.js';

export const USAGE = `Usage: node dist/bench/router.js [options]
  --targets LIST      direct,minimal,router,nginx (default: all; nginx only when installed)
  --payloads LIST     small,64k,echo (default: all)
  --reps N            interleaved repetitions of every target × payload (5)
  --duration S        seconds measured per repetition (5)
  --warmup S          seconds of unmeasured load before each repetition (1; 0: none)
  --connections N     concurrent keep-alive connections (50)
  --tool NAME         wrk or autocannon (default: wrk when /usr/bin/wrk exists)
  --threads N         wrk threads (1: leaves the cores to the processes measured)
  --cli PATH          the triggerway CLI script (default: router-cli.js of this build)
  --workers N         pass --workers N to the router (default: not passed, one process)
  --router-timeout S  how long the router may take to log "router listening" (20)`;

export interface RouterBenchOptions {
  readonly targets: readonly TargetName[];
  readonly payloads: readonly Payload[];
  readonly reps: number;
  readonly durationS: number;
  readonly warmupS: number;
  readonly connections: number;
  readonly tool: LoadTool;
  readonly threads: number;
  readonly cli: string;
  readonly workers: number | undefined;
  readonly routerTimeoutMs: number;
  /** Targets asked for but left out, and why. */
  readonly skipped: readonly string[];
}

export function parseOptions(argv: readonly string[]): RouterBenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      targets: { type: 'string' },
      payloads: { type: 'string' },
      reps: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      tool: { type: 'string' },
      threads: { type: 'string' },
      cli: { type: 'string' },
      workers: { type: 'string' },
      'router-timeout': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const whole = (flag: keyof typeof values, fallback: number, min: number): number => {
    const text = values[flag];
    if (text === undefined) return fallback;
    const parsed = Number(text);
    // wrk takes whole seconds only, so every number here is whole.
    if (!Number.isInteger(parsed) || parsed < min) throw new Error(`--${flag} wants a whole number ≥ ${min}, not ${JSON.stringify(text)}`);
    return parsed;
  };
  const list = <T extends string>(flag: 'targets' | 'payloads', known: readonly T[]): T[] => {
    const names = (values[flag] ?? known.join(',')).split(',').filter(Boolean);
    for (const name of names) if (!known.includes(name as T)) throw new Error(`--${flag}: unknown ${JSON.stringify(name)} (known: ${known.join(', ')})`);
    return [...new Set(names as T[])];
  };
  const tool = (values.tool ?? defaultTool()) as LoadTool;
  if (!LOAD_TOOLS.includes(tool)) throw new Error(`--tool wants ${LOAD_TOOLS.join(' or ')}`);
  const skipped: string[] = [];
  let targets = list('targets', TARGET_NAMES);
  if (targets.includes('nginx') && !existsSync(NGINX)) {
    targets = targets.filter((target) => target !== 'nginx');
    if (values.targets !== undefined) throw new Error(`--targets nginx: ${NGINX} is not installed`);
    skipped.push(`nginx: ${NGINX} is not installed`);
  }
  const payloadNames = list('payloads', PAYLOADS.map((payload) => payload.name));
  return {
    targets,
    payloads: PAYLOADS.filter((payload) => payloadNames.includes(payload.name)),
    reps: whole('reps', 5, 1),
    durationS: whole('duration', 5, 1),
    warmupS: whole('warmup', 1, 0),
    connections: whole('connections', 50, 1),
    tool,
    threads: whole('threads', 1, 1),
    cli: values.cli ?? fileURLToPath(new URL('./router-cli.js', import.meta.url)),
    workers: values.workers === undefined ? undefined : whole('workers', 1, 1),
    routerTimeoutMs: whole('router-timeout', 20, 1) * 1000,
    skipped,
  };
}
