/**
 * `triggerway serve`: load and watch manifests, admit every change, and serve the admitted
 * table to Envoy fleets over xDS.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startAdminPlane } from '../control/admin-plane.js';
import { CombinedSource } from '../sources/combined-source.js';
import { StoreSource } from '../sources/store-source.js';
import { ObjectStore } from '../store/object-store.js';
import { AdmissionController } from '../control/admission-controller.js';
import { XdsControlPlane } from '../control/xds-control-plane.js';
import { DEFAULT_RESOURCE_SETTINGS } from '../xds/resources/envoy-resources.js';
import { DEFAULT_LISTENER_SETTINGS } from '../xds/resources/listener-settings.js';
import { DirectorySource } from '../sources/directory-source.js';
import { createLogger, LOG_FORMATS } from '../util/logger.js';
import { acquirePidLock } from '../util/pid-lock.js';
import { Teardown } from '../util/teardown.js';
import { logAdmission } from './log-admission.js';
import { startRouterProcess } from '../router/router-process.js';
import { choiceOption, hostPortOption, integerOption, parseOptions, stringOption } from './options.js';
import type { Output } from './output.js';
import { ROUTER_OPTION_SPEC, ROUTER_OPTIONS_HELP, routerOptions } from './router-options.js';
import { UsageError } from './usage-error.js';
import { packageVersion } from './version.js';
import { waitForStop } from './wait-for-stop.js';

export const SERVE_HELP = `Usage: triggerway serve --triggers DIR [options]

Loads every manifest under DIR (*.yaml, *.yml, *.json, recursively), admits
them, watches DIR and re-admits on every change, logging each change of the
admitted route table, every refused trigger and every manifest error. A file
with an error keeps its last good version in effect until it is fixed.

Serves the admitted table to Envoy over gRPC xDS (ADS, state-of-the-world and
delta; see envoy/bootstrap.yaml), logging data planes that connect, leave or
reject a version (NACK), and when every connected node holds the latest one.

Routes HTTP itself too, with the Node router fed the very same resources
in-process (or, with --workers N, as N ADS clients of this control plane).

With --tokens, the admin listener also serves the admin API under /v1 (tenants
write their own HTTPTriggers; platform tokens also HostGroups and Tenants;
GET /v1/status) and a live status page at /. API writes are kept under
DATA-DIR/api and admitted together with the manifest directory, whose objects
the API cannot overwrite.

Options:
  --triggers DIR        manifest directory (required)
  --xds-listen ADDR     host:port of the xDS server (default: 127.0.0.1:18000;
                        port 0 picks a free port)
  --listener ADDR       host:port of the Envoy listener served over LDS
                        (default: 0.0.0.0:10000)
${ROUTER_OPTIONS_HELP}
  --tokens FILE         bearer tokens of the admin API (YAML: tokens: [{name,
                        token|sha256, role: platform | namespace: NS}]);
                        reloaded on change (default: none, the API refuses
                        every request)
  --audit-log FILE      JSON lines of refused and written API requests
                        (default: DATA-DIR/audit.log)
  --reap-after SECONDS  remove API triggers whose HostGroup has been gone this
                        long (default: 600)
  --data-dir DIR        state kept across restarts: first-seen times of
                        triggers, host owners and API writes (default:
                        .triggerway)
  --debounce-ms N       quiet time that ends a burst of file changes
                        (default: 100)
  --log-format FORMAT   text or json (default: text)
  -h, --help            show this help

Stops cleanly on SIGINT or SIGTERM.`;

export async function runServe(argv: readonly string[], output: Output, stop: AbortSignal): Promise<number> {
  const parsed = parseOptions(
    'serve',
    argv,
    {
      triggers: { type: 'string' },
      'data-dir': { type: 'string' },
      'debounce-ms': { type: 'string' },
      'log-format': { type: 'string' },
      'xds-listen': { type: 'string' },
      listener: { type: 'string' },
      tokens: { type: 'string' },
      'audit-log': { type: 'string' },
      'reap-after': { type: 'string' },
      ...ROUTER_OPTION_SPEC,
    },
    false,
  );
  if (parsed.values['help']) {
    output.out(SERVE_HELP);
    return 0;
  }
  const triggers = parsed.values['triggers'];
  if (typeof triggers !== 'string') throw new UsageError('--triggers DIR is required', 'serve');
  const dataDir = resolve(stringOption(parsed, 'data-dir', '.triggerway'));
  const quietMs = integerOption('serve', parsed, 'debounce-ms', 100, 0, 60_000);
  const logFormat = choiceOption('serve', parsed, 'log-format', LOG_FORMATS, 'text');
  const log = createLogger(logFormat, output.out);
  const router = routerOptions('serve', parsed);
  const xdsListen = hostPortOption('serve', parsed, 'xds-listen', '127.0.0.1:18000');
  const listener = hostPortOption('serve', parsed, 'listener', `${DEFAULT_LISTENER_SETTINGS.address}:${DEFAULT_LISTENER_SETTINGS.port}`);
  if (listener.port === 0) throw new UsageError('--listener needs a port between 1 and 65535', 'serve');
  const tokensPath = typeof parsed.values['tokens'] === 'string' ? resolve(parsed.values['tokens']) : undefined;
  const auditLogPath = resolve(stringOption(parsed, 'audit-log', join(dataDir, 'audit.log')));
  const reapAfterMs = integerOption('serve', parsed, 'reap-after', 600, 1, 30 * 24 * 3600) * 1000;

  const teardown = new Teardown();
  /** Runs one start-up step; on failure logs `what` failed, stops what already runs and gives exit status 1. */
  const step = async <T>(what: string, fields: Readonly<Record<string, unknown>>, start: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await start();
    } catch (error) {
      log.error(`cannot ${what}`, { ...fields, error: (error as Error).message });
      await teardown.run();
      return undefined;
    }
  };

  const xds = await step('start the xDS server', { listen: xdsListen.text }, () =>
    XdsControlPlane.start({
      listen: xdsListen.text,
      resources: { ...DEFAULT_RESOURCE_SETTINGS, listener: { ...DEFAULT_LISTENER_SETTINGS, address: listener.host, port: listener.port } },
      log,
    }),
  );
  if (!xds) return 1;
  teardown.add(() => xds.close());
  log.info('xDS server listening', { address: `${xdsListen.host}:${xds.server.port}` });

  // Before anything reads or writes state: a second serve on this directory would corrupt it.
  const lock = await step('lock the data directory', { dataDir }, async () => {
    await mkdir(dataDir, { recursive: true });
    return acquirePidLock(join(dataDir, 'serve.lock'));
  });
  if (!lock) return 1;
  teardown.add(() => lock.release());

  const store = await step('open the API store', { dir: join(dataDir, 'api') }, () =>
    ObjectStore.open({ dir: join(dataDir, 'api'), onWarning: (message) => log.warn('API store repaired', { message }) }),
  );
  if (!store) return 1;
  teardown.add(() => store.close());
  let errors = new Set<string>();
  const files = new DirectorySource({
    root: resolve(triggers),
    dataDir,
    quietMs,
    onError: (error) => log.error('manifest source failed; keeping the last admitted table', { error: error.message }),
  });
  const source = new CombinedSource(files, new StoreSource(store));
  const controller = new AdmissionController({
    source,
    dataDir,
    onUpdate: (update) => {
      errors = logAdmission(log, update, errors);
      xds.admitted(update);
    },
    onError: (error) => log.error('admission failed; keeping the last admitted table', { error: error.message }),
  });
  try {
    await controller.start();
  } catch (error) {
    // A corrupt state file: main prints its message (which says how to recover) and exits 1.
    await teardown.run();
    throw error;
  }
  teardown.add(() => controller.close());
  log.info('watching for changes', { triggers: resolve(triggers), dataDir });

  const admin = await step('start the admin API', { tokens: tokensPath }, () =>
    startAdminPlane({ store, controller, xds, fileDefining: (key) => source.fileDefining(key), tokensPath, auditLogPath, reapAfterMs, log }),
  );
  if (!admin) return 1;
  teardown.add(() => admin.close());

  const routerProcess = await step('start the router', { listen: router.listen.text, admin: router.admin.text }, () =>
    startRouterProcess({
      ...router,
      log,
      logFormat,
      version: packageVersion(),
      adminExtension: admin.extension,
      // --workers N: each worker is an ADS client of this control plane, like any data plane.
      remote: () => ({ target: `${loopbackFor(xdsListen.host)}:${xds.server.port}`, nodeId: 'triggerway-serve-router', nodeCluster: 'triggerway' }),
      attach: (runtime) => xds.feedInProcess('triggerway-serve-router', 'triggerway', runtime.sink, runtime.applyEvents),
    }),
  );
  if (!routerProcess) return 1;
  teardown.add(() => routerProcess.close());
  log.info('router listening', { address: `${router.listen.host}:${routerProcess.routerPort}`, workers: router.workers });
  log.info('admin listening', { address: `${router.admin.host}:${routerProcess.adminPort}` });
  await waitForStop(stop);
  await teardown.run();
  log.info('stopped');
  return 0;
}

/** Workers reach the ADS server over loopback when it listens on every address. */
function loopbackFor(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
