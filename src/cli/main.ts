/** The `triggerway` command: dispatches to sub-commands and maps failures to exit codes. */
import { APPLY_HELP, runApply } from './apply.js';
import { runCheck, CHECK_HELP } from './check.js';
import { DELETE_HELP, runDelete } from './delete.js';
import { GET_HELP, runGet } from './get.js';
import { processOutput, type Output } from './output.js';
import { ROUTER_HELP, runRouter } from './router.js';
import { runServe, SERVE_HELP } from './serve.js';
import { runStatus, STATUS_HELP } from './status.js';
import { packageVersion } from './version.js';
import { UsageError } from './usage-error.js';

export const MAIN_HELP = `Usage: triggerway <command> [options]

A multi-tenant edge ingress router with an embedded Envoy xDS control plane.

Commands:
  check PATH...           validate manifests and show what admission decides
  serve --triggers DIR    load, watch and admit manifests; serve them to Envoy
                          over xDS and route them with the Node router
  router --xds ADDR       a standalone Node router fed by a remote control plane

Through the admin API of a running \`serve\` (--server URL, --token TOKEN):
  apply -f PATH           check manifests, then create or replace them
  get KIND [NAME]         show stored HTTPTriggers, HostGroups or Tenants
  delete KIND NAME        delete a stored object
  status                  triggers, hosts, data planes and errors being served

Run \`triggerway <command> --help\` for a command's options.
Options: -h, --help (this help), --version`;

const HELP: Record<string, string> = {
  check: CHECK_HELP,
  serve: SERVE_HELP,
  router: ROUTER_HELP,
  apply: APPLY_HELP,
  get: GET_HELP,
  delete: DELETE_HELP,
  status: STATUS_HELP,
};

export async function main(argv: readonly string[], output: Output = processOutput, stop?: AbortSignal): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await runCheck(rest, output);
      case 'serve':
        return await runServe(rest, output, stop ?? signalsToStop());
      case 'router':
        return await runRouter(rest, output, stop ?? signalsToStop());
      case 'apply':
        return await runApply(rest, output);
      case 'get':
        return await runGet(rest, output);
      case 'delete':
        return await runDelete(rest, output);
      case 'status':
        return await runStatus(rest, output);
      case undefined:
      case 'help':
      case '-h':
      case '--help':
        output.out(rest[0] && HELP[rest[0]] ? HELP[rest[0]]! : MAIN_HELP);
        return command === undefined ? 2 : 0;
      case '--version':
        output.out(version());
        return 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`, '');
    }
  } catch (error) {
    if (error instanceof UsageError) {
      const scope = error.command ? `triggerway ${error.command}` : 'triggerway';
      output.err(`${scope}: ${error.message}\nRun '${scope} --help' for usage.`);
      return 2;
    }
    output.err(`triggerway: ${(error as Error).message}`);
    return 1;
  }
}

/** SIGINT/SIGTERM end `serve` gracefully; a second signal exits at once. */
function signalsToStop(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}

function version(): string {
  return `triggerway ${packageVersion()}`;
}
