/** `triggerway status`: what the control plane serves and how its data planes took it. */
import { API_OPTIONS, API_OPTIONS_HELP, withApiClient } from './api-options.js';
import { parseOptions } from './options.js';
import type { Output } from './output.js';
import { renderStatusView } from './render-api.js';

export const STATUS_HELP = `Usage: triggerway status [options]

Shows what the control plane serves: the snapshot version; every trigger with
its origin (the API, or a manifest file), the hosts it holds, its Accepted and
Programmed conditions and why it is refused; every host's owning namespace and
triggers; the tenants; the data planes (Envoy or Node routers) with the
versions they acknowledged and their last NACK; every refusal and every
manifest error. A tenant's token sees its own triggers and hosts only.

Options:
  --json      print the status as the API returns it
  -h, --help  show this help

${API_OPTIONS_HELP}

Exit status: 0 when the status was read, whatever it shows (a refused trigger
or a NACK is reported, not failed on: gate on \`check\`, or on --json); 1 when
the API refuses the request or the server could not be reached; 2 when the
command is called wrongly.`;

export async function runStatus(argv: readonly string[], output: Output): Promise<number> {
  const parsed = parseOptions('status', argv, { ...API_OPTIONS, json: { type: 'boolean' } }, false);
  if (parsed.values['help']) {
    output.out(STATUS_HELP);
    return 0;
  }
  return withApiClient('status', parsed, output, 'status', async (client) => {
    const view = await client.status();
    output.out(parsed.values['json'] ? JSON.stringify(view, null, 2) : renderStatusView(view));
    return 0;
  });
}
