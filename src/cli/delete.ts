/** `triggerway delete KIND NAME`: removes one object stored in the admin API. */
import { refText } from '../admin/client/api-paths.js';
import { API_OPTIONS, API_OPTIONS_HELP, KIND_HELP, NAMESPACE_OPTION, kindArgument, nameArgument, namespaceOption, withApiClient } from './api-options.js';
import { parseOptions } from './options.js';
import type { Output } from './output.js';
import { UsageError } from './usage-error.js';

export const DELETE_HELP = `Usage: triggerway delete KIND NAME [options]

Deletes one object stored in the admin API and prints what it deleted.
Objects defined by a manifest file belong to the file: the API refuses to
delete them (Conflict); remove them from the file instead.

${KIND_HELP}

Options:
  -n, --namespace NS   the HTTPTrigger's namespace (required for triggers)
  -h, --help           show this help

${API_OPTIONS_HELP}

Exit status: 0 when the object was deleted; 1 when the API refuses (NotFound
included: nothing of that name was there) or the server could not be reached;
2 when the command is called wrongly.`;

export async function runDelete(argv: readonly string[], output: Output): Promise<number> {
  const parsed = parseOptions('delete', argv, { ...API_OPTIONS, ...NAMESPACE_OPTION }, true);
  if (parsed.values['help']) {
    output.out(DELETE_HELP);
    return 0;
  }
  const [rawKind, rawName, ...extra] = parsed.positionals;
  const kind = kindArgument('delete', rawKind);
  if (rawName === undefined) throw new UsageError('give the NAME of the object to delete', 'delete');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}: delete takes one KIND and one NAME`, 'delete');
  const name = nameArgument('delete', kind, rawName);
  const namespace = namespaceOption('delete', kind, parsed);
  const ref = { kind, name, ...(namespace !== undefined && { namespace }) };
  return withApiClient('delete', parsed, output, refText(ref), async (client) => {
    await client.delete(ref);
    output.out(`deleted ${refText(ref)}`);
    return 0;
  });
}
