/**
 * Measuring and formatting for bench/xds: a timer, nearest-rank percentiles and the
 * `p50, p99, max` spread, millisecond and byte formats, and memory after a forced GC
 * (`gc()` is made available at load time, so importing this module is enough).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { monotonicMs } from './xds-client.js';

export function timed<T>(work: () => T): [T, number] {
  const start = monotonicMs();
  const result = work();
  return [result, monotonicMs() - start];
}

const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);
export const median = (values: readonly number[]): number => percentile(values, 50);
/** Nearest rank: p99 of 50 samples is the largest. */
function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const ordered = sorted(values);
  return ordered[Math.min(ordered.length - 1, Math.max(0, Math.ceil((p / 100) * ordered.length) - 1))]!;
}
export const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
export const ms = (value: number): string => (Number.isNaN(value) ? '-' : value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`);
export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const kib = (bytes: number): string => (bytes >= 1024 * 1024 ? mib(bytes) : `${(bytes / 1024).toFixed(1)} KiB`);
export const spread = (values: readonly number[]): string => `p50 ${ms(percentile(values, 50))}, p99 ${ms(percentile(values, 99))}, max ${ms(Math.max(...values))}`;
export const sleep = (delay: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, delay));

/** `gc()` even without --expose-gc (the flag can be set at run time for a new context). */
function gcFunction(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
const gc = gcFunction();

export function memory(): { rss: number; heapUsed: number; external: number; arrayBuffers: number } {
  gc();
  gc();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}
