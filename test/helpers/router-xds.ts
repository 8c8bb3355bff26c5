/**
 * The router's xDS client under test: started against a target with short backoffs, every
 * event recorded, closed when the test ends; and `serve`'s real control plane to point it at.
 */
import type { TestContext } from 'node:test';
import type { status } from '@grpc/grpc-js';
import type { HostGroup, HTTPTrigger } from '../../src/model/resources.js';
import { XdsControlPlane } from '../../src/control/xds-control-plane.js';
import type { Snapshot } from '../../src/xds/cache/snapshot.js';
import { DEFAULT_RESOURCE_SETTINGS } from '../../src/xds/resources/envoy-resources.js';
import type { XdsType } from '../../src/xds/xds-types.js';
import { AdsClient, type AdsClientOptions } from '../../src/router/xds/ads-client.js';
import type { XdsConfigSink } from '../../src/router/xds/config-sink.js';
import type { LogFields } from '../../src/util/logger.js';
import { admitTriggers, DEFAULT_GROUP } from './admission.js';

export const ROUTER_NODE = { id: 'router-1', cluster: 'triggerway' } as const;
export const BACKOFF = { initialBackoffMs: 20, maxBackoffMs: 80 } as const;

export type ClientEvent =
  | { readonly kind: 'connected' }
  | { readonly kind: 'disconnected'; readonly code: status; readonly details: string; readonly retryInMs: number }
  | { readonly kind: 'applied'; readonly type: XdsType; readonly version: string }
  | { readonly kind: 'rejected'; readonly type: XdsType; readonly version: string; readonly message: string }
  | { readonly kind: 'ignored'; readonly typeUrl: string; readonly reason: string };

export interface RecordedClient {
  readonly client: AdsClient;
  readonly events: ClientEvent[];
  /** The recorded events of one kind. */
  of<K extends ClientEvent['kind']>(kind: K): Extract<ClientEvent, { kind: K }>[];
}

/** An AdsClient for `target`, started, recording its events, closed when `t` ends. */
export function startRouterClient(t: TestContext, target: string, sink: XdsConfigSink, options: Partial<AdsClientOptions> = {}): RecordedClient {
  const events: ClientEvent[] = [];
  const client = new AdsClient({
    target,
    node: ROUTER_NODE,
    userAgentVersion: 'test',
    sink,
    ...BACKOFF,
    events: {
      connected: () => events.push({ kind: 'connected' }),
      disconnected: ({ code, details }, retryInMs) => events.push({ kind: 'disconnected', code, details, retryInMs }),
      applied: (type, version) => events.push({ kind: 'applied', type, version }),
      rejected: (type, version, message) => events.push({ kind: 'rejected', type, version, message }),
      ignored: (typeUrl, reason) => events.push({ kind: 'ignored', typeUrl, reason }),
    },
    ...options,
  });
  client.start();
  t.after(() => client.close());
  const of = <K extends ClientEvent['kind']>(kind: K) => events.filter((event): event is Extract<ClientEvent, { kind: K }> => event.kind === kind);
  return { client, events, of };
}

export interface RunningPlane {
  readonly plane: XdsControlPlane;
  readonly port: number;
  /** Closes the plane (its streams end with UNAVAILABLE); later calls wait for the same close. */
  stop(): Promise<void>;
}

/** `serve`'s xDS control plane on 127.0.0.1 (`port` 0 picks one), publishing without debounce, stopped when `t` ends. */
export async function startControlPlane(t: TestContext, port = 0): Promise<RunningPlane> {
  const quiet = (_message: string, _fields?: LogFields): void => {};
  const log = { info: quiet, warn: quiet, error: quiet };
  const plane = await XdsControlPlane.start({ listen: `127.0.0.1:${port}`, resources: DEFAULT_RESOURCE_SETTINGS, log, quietMs: 0, maxWaitMs: 0 });
  let stopped: Promise<void> | undefined;
  const running = { plane, port: plane.server.port!, stop: () => (stopped ??= plane.close()) };
  t.after(() => running.stop());
  return running;
}

/** Admits `triggers` into `plane` and resolves with the snapshot published. */
export async function admit(plane: XdsControlPlane, triggers: readonly HTTPTrigger[], hostGroups: HostGroup[] = [DEFAULT_GROUP]): Promise<Snapshot> {
  const result = admitTriggers(triggers, { hostGroups });
  plane.admitted({ result, manifests: { triggers: [], hostGroups: [], tenants: [], errors: [] } });
  await plane.publisher.flush();
  return plane.publisher.current!;
}
