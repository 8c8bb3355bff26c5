/**
 * A router worker: one RouterRuntime subscribed over ADS, accepting on the listener the
 * primary shares. SIGTERM drains it. Its metrics registry is the one the primary aggregates.
 */
import { AggregatorRegistry, Registry } from 'prom-client';
import { createLogger } from '../util/logger.js';
import { openAccessLog } from './access-log-stream.js';
import { RouterRuntime } from './router-runtime.js';
import { WORKER_FAILED_MESSAGE, WORKER_LISTENING_MESSAGE, WORKER_READY_MESSAGE, WORKER_SETTINGS_ENV, type WorkerSettings } from './worker-protocol.js';
import { AdsClient } from './xds/ads-client.js';

const settings = JSON.parse(process.env[WORKER_SETTINGS_ENV] ?? '{}') as WorkerSettings;
const log = createLogger(settings.logFormat, (line) => process.stdout.write(`${line}\n`));
const registry = new Registry();
AggregatorRegistry.setRegistries([registry]);
// prom-client answers the primary's metrics requests only once an AggregatorRegistry exists
// in the worker (its constructor adds the listener); without one /metrics times out.
new AggregatorRegistry();
const accessLog = openAccessLog(settings.accessLog, log);
const runtime = new RouterRuntime({
  log,
  maxRequestBodyBytes: settings.maxRequestBodyBytes,
  registry,
  ...(accessLog && { accessLog }),
  onFirstConfig: () => {
    firstConfig = true;
    reportReady();
  },
});
let firstConfig = false;
let port: number | undefined;
/** Ready = routing with a configuration and accepting, whichever came last. */
const reportReady = (): void => {
  if (firstConfig && port !== undefined) process.send?.({ type: WORKER_READY_MESSAGE, port });
};
const client = new AdsClient({
  target: settings.xdsTarget,
  node: { id: settings.nodeId, cluster: settings.nodeCluster },
  userAgentVersion: settings.version,
  sink: runtime.sink,
  events: runtime.applyEvents,
});
client.start();
try {
  port = await runtime.listen(settings.listenHost, settings.listenPort);
} catch (error) {
  // The primary reports it and gives up: a taken port does not get better by retrying.
  process.send?.({ type: WORKER_FAILED_MESSAGE, error: (error as Error).message });
  await client.close();
  process.exit(1);
}
process.send?.({ type: WORKER_LISTENING_MESSAGE, port });
reportReady();

// Ctrl-C reaches the whole process group; the primary drains the workers with SIGTERM.
process.on('SIGINT', () => {});

process.once('SIGTERM', () => {
  void (async () => {
    await runtime.close();
    await client.close();
    process.exit(0);
  })();
});
