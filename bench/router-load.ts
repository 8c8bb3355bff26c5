/**
 * The load generators of bench/router behind one call: wrk when installed (far cheaper per
 * request than a Node generator on a 2-core machine), autocannon otherwise (in the bench's
 * own process). Both keep `connections` keep-alive connections busy, one request at a time.
 */
import { existsSync } from 'node:fs';
import { runAutocannon } from './router-autocannon.js';
import type { Payload } from './router-payloads.js';
import { runWrk, WRK } from './router-wrk.js';

export type LoadTool = 'wrk' | 'autocannon';
export const LOAD_TOOLS: readonly LoadTool[] = ['wrk', 'autocannon'];

export interface LoadSpec {
  readonly port: number;
  readonly payload: Payload;
  readonly connections: number;
  readonly durationS: number;
  /** wrk's threads (autocannon has one event loop). */
  readonly threads: number;
  /** Where generated files (wrk's Lua scripts) go. */
  readonly workDir: string;
}

export interface LoadResult {
  /** Completed responses, whatever their status. */
  readonly requests: number;
  readonly durationS: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Responses that were not 2xx (wrk: not 2xx or 3xx; the backend never sends 3xx). */
  readonly non2xx: number;
  /** Connect, read and write errors and timeouts. */
  readonly socketErrors: number;
  readonly errorDetail: string;
}

export const defaultTool = (): LoadTool => (existsSync(WRK) ? 'wrk' : 'autocannon');

export function runLoad(tool: LoadTool, spec: LoadSpec): Promise<LoadResult> {
  return tool === 'wrk' ? runWrk(spec) : runAutocannon(spec);
}
