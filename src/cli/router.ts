/**
 * `triggerway router`: a standalone Node router that is an ADS client of a remote control
 * plane. It keeps routing with the last good configuration while the control plane is away
 * and reconnects with backoff.
 */
import { createLogger, LOG_FORMATS } from '../util/logger.js';
import { AdsClient } from '../router/xds/ads-client.js';
import { startRouterProcess } from '../router/router-process.js';
import { choiceOption, parseOptions, stringOption } from './options.js';
import type { Output } from './output.js';
import { ROUTER_OPTION_SPEC, ROUTER_OPTIONS_HELP, routerOptions } from './router-options.js';
import { UsageError } from './usage-error.js';
import { packageVersion } from './version.js';
import { waitForStop } from './wait-for-stop.js';

export const ROUTER_HELP = `Usage: triggerway router --xds HOST:PORT --node-id ID [options]

Runs the Node router as an ADS client of a remote control plane (triggerway
serve): it routes with the resources the control plane serves to Envoy, ACKs
what it applied and NACKs, with the reason, what it cannot apply. While the
control plane is unreachable it keeps routing with the last good configuration
and reconnects with backoff.

Options:
  --xds HOST:PORT       the control plane's xDS address (required)
  --node-id ID          this router's xDS node id (required)
  --node-cluster NAME   xDS node cluster (node group) (default: triggerway)
${ROUTER_OPTIONS_HELP}
  --log-format FORMAT   text or json (default: text)
  -h, --help            show this help

Drains (finishes requests in flight, up to 10 s) and stops on SIGINT or SIGTERM.`;

export async function runRouter(argv: readonly string[], output: Output, stop: AbortSignal): Promise<number> {
  const parsed = parseOptions(
    'router',
    argv,
    { xds: { type: 'string' }, 'node-id': { type: 'string' }, 'node-cluster': { type: 'string' }, 'log-format': { type: 'string' }, ...ROUTER_OPTION_SPEC },
    false,
  );
  if (parsed.values['help']) {
    output.out(ROUTER_HELP);
    return 0;
  }
  const target = parsed.values['xds'];
  if (typeof target !== 'string' || target === '') throw new UsageError('--xds HOST:PORT is required', 'router');
  const nodeId = parsed.values['node-id'];
  if (typeof nodeId !== 'string' || nodeId === '') throw new UsageError('--node-id ID is required', 'router');
  const nodeCluster = stringOption(parsed, 'node-cluster', 'triggerway');
  const logFormat = choiceOption('router', parsed, 'log-format', LOG_FORMATS, 'text');
  const log = createLogger(logFormat, output.out);
  const router = routerOptions('router', parsed);
  const version = packageVersion();

  let process_;
  try {
    process_ = await startRouterProcess({
      ...router,
      log,
      logFormat,
      version,
      remote: () => ({ target, nodeId, nodeCluster }),
      attach: (runtime) => {
        const client = new AdsClient({
          target,
          node: { id: nodeId, cluster: nodeCluster },
          userAgentVersion: version,
          sink: runtime.sink,
          events: {
            ...runtime.applyEvents,
            connected: () => log.info('connected to the control plane', { xds: target }),
            disconnected: (status, retryInMs) =>
              log.warn('control plane unreachable; routing with the last good configuration', { xds: target, code: status.code, details: status.details, retryInMs }),
          },
        });
        client.start();
        return client;
      },
    });
  } catch (error) {
    log.error('cannot start the router', { error: (error as Error).message });
    return 1;
  }
  log.info('router listening', { address: `${router.listen.host}:${process_.routerPort}`, workers: router.workers });
  log.info('admin listening', { address: `${router.admin.host}:${process_.adminPort}` });
  await waitForStop(stop);
  await process_.close();
  log.info('stopped');
  return 0;
}
