/**
 * bench/router's report: one line per measured run as it happens, then, per target ×
 * payload, the medians over the repetitions as Markdown tables ready for bench/README.md.
 * Error counts are summed over the repetitions, never dropped.
 */
import type { LoadResult } from './router-load.js';
import type { Payload } from './router-payloads.js';
import type { TargetName } from './router-targets.js';

export type Out = (line?: string) => void;

export interface RunRecord {
  readonly target: TargetName;
  readonly payload: Payload;
  readonly rep: number;
  readonly load: LoadResult;
  /** CPU seconds of the proxy's process tree; undefined for direct. */
  readonly proxyCpuS: number | undefined;
  readonly backendCpuS: number;
  readonly busyCores: number;
  readonly stealCores: number;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const ordered = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (ordered.length === 0) return Number.NaN;
  const middle = ordered.length >> 1;
  return ordered.length % 2 === 1 ? ordered[middle]! : (ordered[middle - 1]! + ordered[middle]!) / 2;
}

const dash = (value: number, format: (value: number) => string): string => (Number.isNaN(value) ? '–' : format(value));
const count = (value: number): string => dash(value, (v) => Math.round(v).toLocaleString('en-US'));
const ms = (value: number): string => dash(value, (v) => (v < 10 ? `${v.toFixed(2)} ms` : `${v.toFixed(1)} ms`));
const cores = (value: number): string => dash(value, (v) => v.toFixed(2));
const ratio = (value: number): string => dash(value, (v) => `${v.toFixed(2)}×`);

/** Per-run CPU figures, NaN where they do not apply. */
const proxyCores = (run: RunRecord): number => (run.proxyCpuS === undefined ? Number.NaN : run.proxyCpuS / run.load.durationS);
const perProxyCpuSecond = (run: RunRecord): number => (run.proxyCpuS === undefined || run.proxyCpuS <= 0 ? Number.NaN : run.load.requests / run.proxyCpuS);

export function reportRun(out: Out, run: RunRecord, reps: number): void {
  const { load } = run;
  const errors = load.non2xx + load.socketErrors > 0 ? `  NON-2XX ${load.non2xx}, SOCKET ERRORS ${load.socketErrors} (${load.errorDetail})` : '';
  out(
    `rep ${run.rep + 1}/${reps}  ${run.payload.name.padEnd(5)}  ${run.target.padEnd(7)}  ${count(load.rps).padStart(7)} req/s  p50 ${ms(load.p50Ms).padStart(8)}  p99 ${ms(load.p99Ms).padStart(8)}` +
      `  cores: proxy ${cores(proxyCores(run))}, backend ${cores(run.backendCpuS / load.durationS)}, machine ${cores(run.busyCores)} (steal ${cores(run.stealCores)})${errors}`,
  );
}

interface Cell {
  readonly target: TargetName;
  readonly payload: Payload;
  readonly runs: readonly RunRecord[];
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

function cells(runs: readonly RunRecord[], targets: readonly TargetName[], payloads: readonly Payload[]): Cell[] {
  return payloads.flatMap((payload) =>
    targets.map((target) => {
      const mine = runs.filter((run) => run.target === target && run.payload === payload);
      const of = (pick: (load: LoadResult) => number): number => median(mine.map((run) => pick(run.load)));
      return { target, payload, runs: mine, rps: of((l) => l.rps), p50: of((l) => l.p50Ms), p99: of((l) => l.p99Ms) };
    }),
  );
}

const sum = (runs: readonly RunRecord[], pick: (load: LoadResult) => number): number => runs.reduce((total, run) => total + pick(run.load), 0);

export function reportTables(out: Out, runs: readonly RunRecord[], targets: readonly TargetName[], payloads: readonly Payload[]): void {
  const all = cells(runs, targets, payloads);
  const find = (target: TargetName, payload: Payload): Cell | undefined => all.find((cell) => cell.target === target && cell.payload === payload);
  const versus = (cell: Cell, base: TargetName): [string, string] => {
    const other = find(base, cell.payload);
    return other ? [ratio(cell.rps / other.rps), ratio(cell.p99 / other.p99)] : ['–', '–'];
  };
  out('| payload | target | req/s | p50 | p99 | req/s ÷ direct | p99 ÷ direct | req/s ÷ minimal | p99 ÷ minimal | req per proxy CPU-s | non-2xx | socket errors |');
  out('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const cell of all) {
    const cpu = median(cell.runs.map(perProxyCpuSecond));
    const row = [cell.payload.label, cell.target, count(cell.rps), ms(cell.p50), ms(cell.p99), ...versus(cell, 'direct'), ...versus(cell, 'minimal'), count(cpu)];
    out(`| ${[...row, String(sum(cell.runs, (l) => l.non2xx)), String(sum(cell.runs, (l) => l.socketErrors))].join(' | ')} |`);
  }
  out();
  out('CPU, in cores busy on average during a run (machine: all processes, the load generator included):');
  out();
  out('| payload | target | proxy | backend | machine | steal |');
  out('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const cell of all) {
    const of = (pick: (run: RunRecord) => number): string => cores(median(cell.runs.map(pick)));
    out(`| ${cell.payload.label} | ${cell.target} | ${of(proxyCores)} | ${of((run) => run.backendCpuS / run.load.durationS)} | ${of((run) => run.busyCores)} | ${of((run) => run.stealCores)} |`);
  }
}

/** Non-2xx responses or socket errors where there must be none: direct and the minimal proxy. */
export function sanityFailures(runs: readonly RunRecord[]): string[] {
  return runs
    .filter((run) => (run.target === 'direct' || run.target === 'minimal') && run.load.non2xx + run.load.socketErrors > 0)
    .map((run) => `${run.target} ${run.payload.name} rep ${run.rep + 1}: non-2xx ${run.load.non2xx}, socket errors ${run.load.socketErrors} (${run.load.errorDetail})`);
}
