/** `triggerway get KIND [NAME]`: objects stored in the admin API, as a table, JSON or YAML. */
import { stringify } from 'yaml';
import { refText } from '../admin/client/api-paths.js';
import { API_OPTIONS, API_OPTIONS_HELP, KIND_HELP, NAMESPACE_OPTION, kindArgument, nameArgument, namespaceOption, withApiClient } from './api-options.js';
import { choiceOption, parseOptions } from './options.js';
import type { Output } from './output.js';
import { renderObjects } from './render-api.js';
import { UsageError } from './usage-error.js';

export const GET_HELP = `Usage: triggerway get KIND [NAME] [options]

Shows objects stored in the admin API: the one named, or every object of the
kind (HTTPTriggers: those of one namespace), with the hosts each trigger holds
and its Accepted and Programmed conditions.

${KIND_HELP}

Options:
  -n, --namespace NS   the HTTPTriggers' namespace (required for them;
                       HostGroups and Tenants are cluster-scoped)
  -o, --output FORMAT  table (default), json or yaml; json and yaml print the
                       objects (one object, or a list) as the API returns them
  -h, --help           show this help

${API_OPTIONS_HELP}

Exit status: 0 when the objects were read (an empty list included); 1 when the
API refuses the request (NotFound, Forbidden, ...) or the server could not be
reached; 2 when the command is called wrongly.`;

const FORMATS = ['table', 'json', 'yaml'] as const;

export async function runGet(argv: readonly string[], output: Output): Promise<number> {
  const parsed = parseOptions('get', argv, { ...API_OPTIONS, ...NAMESPACE_OPTION, output: { type: 'string', short: 'o' } }, true);
  if (parsed.values['help']) {
    output.out(GET_HELP);
    return 0;
  }
  const [rawKind, rawName, ...extra] = parsed.positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}: give KIND and at most one NAME`, 'get');
  const kind = kindArgument('get', rawKind);
  const name = rawName === undefined ? undefined : nameArgument('get', kind, rawName);
  const namespace = namespaceOption('get', kind, parsed);
  const format = choiceOption('get', parsed, 'output', FORMATS, 'table');
  const ref = name === undefined ? undefined : { kind, name, ...(namespace !== undefined && { namespace }) };
  const where = namespace === undefined ? '' : ` in namespace ${namespace}`;
  return withApiClient('get', parsed, output, ref ? refText(ref) : `${kind}s${where}`, async (client) => {
    const answer = ref ? await client.get(ref) : await client.list(kind, namespace);
    if (format === 'json') output.out(JSON.stringify(answer, null, 2));
    else if (format === 'yaml') output.out(stringify(answer).trimEnd());
    else {
      const items = 'items' in answer ? answer.items : [answer];
      output.out(items.length === 0 ? `No ${kind}s found${where}.` : renderObjects(items, Date.now()));
    }
    return 0;
  });
}
