/**
 * CPU accounting for bench/router from /proc: the user+system time of a process and all its
 * descendants (nginx's master and worker, the router and any workers it forks), and how busy
 * the whole machine was, both as deltas between two samples around a run.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of /proc times (`getconf CLK_TCK`, 100 nearly everywhere). */
export const CLOCK_TICKS = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process has gone
  }
};

/** The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  return stat === undefined ? undefined : stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime (fields 14 and 15) of one process, in ticks. */
function processTicks(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields === undefined ? undefined : Number(fields[11]) + Number(fields[12]);
}

/**
 * `pid` and all its descendants, by each process's parent (field 4); /proc/PID/task/TID/children
 * needs CONFIG_PROC_CHILDREN, which not every kernel has.
 */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = Number(statFields(Number(entry))?.[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree = [pid];
  for (let index = 0; index < tree.length; index++) tree.push(...(children.get(tree[index]!) ?? []));
  return tree;
}

/** CPU ticks of each process of a tree at one moment. */
export type TreeSample = ReadonlyMap<number, number>;

export function sampleTree(root: number): TreeSample {
  const sample = new Map<number, number>();
  for (const pid of processTree(root)) {
    const ticks = processTicks(pid);
    if (ticks !== undefined) sample.set(pid, ticks);
  }
  return sample;
}

/** CPU seconds the tree used between two samples (a process born in between counts whole). */
export function treeCpuSeconds(before: TreeSample, after: TreeSample): number {
  let ticks = 0;
  for (const [pid, now] of after) ticks += now - (before.get(pid) ?? 0);
  return ticks / CLOCK_TICKS;
}

export interface MachineSample {
  readonly busy: number;
  /** Time the hypervisor gave to someone else while we wanted it. */
  readonly steal: number;
  readonly total: number;
}

/** The aggregate `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal. */
export function sampleMachine(): MachineSample {
  const line = (readText('/proc/stat') ?? '').split('\n')[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const [, , , idle = 0, iowait = 0, , , steal = 0] = ticks;
  const total = ticks.reduce((sum, value) => sum + value, 0);
  return { busy: total - idle - iowait - steal, steal, total };
}

/** Average busy and stolen cores between two samples. */
export function machineLoad(before: MachineSample, after: MachineSample): { busyCores: number; stealCores: number } {
  const total = after.total - before.total;
  const cores = (ticks: number): number => (total <= 0 ? Number.NaN : (ticks / total) * cpus().length);
  return { busyCores: cores(after.busy - before.busy), stealCores: cores(after.steal - before.steal) };
}
