/**
 * How a router worker process (node:cluster) is told what to run, and how it reports back.
 * Settings travel in the environment because cluster.fork() passes nothing else before the
 * worker's first line runs.
 */
import type { LogFormat } from '../util/logger.js';

export const WORKER_SETTINGS_ENV = 'TRIGGERWAY_ROUTER_WORKER';

export interface WorkerSettings {
  readonly listenHost: string;
  readonly listenPort: number;
  readonly maxRequestBodyBytes: number;
  readonly accessLog: string | undefined;
  readonly logFormat: LogFormat;
  /** The ADS server (gRPC target) and this worker's node identity. */
  readonly xdsTarget: string;
  readonly nodeId: string;
  readonly nodeCluster: string;
  readonly version: string;
}

/** Sent to the primary once the worker accepts on the shared listener: `{ type, port }`. */
export const WORKER_LISTENING_MESSAGE = 'triggerway:router-listening';
/** Sent instead when it cannot listen: `{ type, error }`; the worker then exits 1. */
export const WORKER_FAILED_MESSAGE = 'triggerway:router-failed';
/** Sent to the primary once the worker routes with a configuration. */
export const WORKER_READY_MESSAGE = 'triggerway:router-ready';
