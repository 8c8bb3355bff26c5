/**
 * What the commands that talk to the admin API (apply, get, delete, status) share: where
 * the server is, the bearer token, and naming an object on the command line. Flags win
 * over the environment, so a one-off `--server` works in a shell that exports another.
 */
import { readFile } from 'node:fs/promises';
import { ApiClient } from '../admin/client/api-client.js';
import type { ApiKind } from '../admin/client/api-paths.js';
import { ApiRequestError } from '../admin/client/api-request-error.js';
import { dnsLabelProblem, dnsSubdomainProblem } from '../model/names.js';
import type { OptionSpec, Parsed } from './options.js';
import type { Output } from './output.js';
import { UsageError } from './usage-error.js';

export const DEFAULT_SERVER = 'http://127.0.0.1:8081';

export const API_OPTIONS: OptionSpec = {
  server: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
};

export const API_OPTIONS_HELP = `API options:
  --server URL        the admin API (default: $TRIGGERWAY_SERVER, else
                      ${DEFAULT_SERVER})
  --token TOKEN       the bearer token (default: $TRIGGERWAY_TOKEN); a flag
                      shows in \`ps\`, so prefer the variable or --token-file
  --token-file FILE   read the token from FILE (surrounding whitespace trimmed)`;

/** The client for the server and token the command line and environment name. */
export async function apiClient(command: string, parsed: Parsed, env: NodeJS.ProcessEnv = process.env): Promise<ApiClient> {
  return new ApiClient({ server: serverOption(command, parsed, env), token: await tokenOption(command, parsed, env) });
}

/** An http(s) base URL; credentials, a query or a fragment would be silently dropped or leaked, so they are refused. */
export function serverOption(command: string, parsed: Parsed, env: NodeJS.ProcessEnv): URL {
  const flag = parsed.values['server'];
  const raw = typeof flag === 'string' ? flag : env['TRIGGERWAY_SERVER'] || DEFAULT_SERVER;
  const from = typeof flag === 'string' ? '--server' : '--server (from TRIGGERWAY_SERVER)';
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    // A URL with credentials is not echoed: they are secrets too.
    const shown = url && (url.username || url.password) ? 'a URL with credentials' : JSON.stringify(raw);
    throw new UsageError(`${from} must be an http:// or https:// URL without credentials, query or fragment, got ${shown}`, command);
  }
  return url;
}

/**
 * The token from --token, --token-file or TRIGGERWAY_TOKEN, in that order. Messages say
 * where a bad token came from and never show it.
 */
export async function tokenOption(command: string, parsed: Parsed, env: NodeJS.ProcessEnv): Promise<string> {
  const flag = parsed.values['token'];
  const file = parsed.values['token-file'];
  if (typeof flag === 'string' && typeof file === 'string') throw new UsageError('give --token or --token-file, not both', command);
  let token: string;
  let from: string;
  if (typeof file === 'string') {
    token = await readFile(file, 'utf8').then(
      (text) => text.trim(),
      (error: NodeJS.ErrnoException) => {
        throw new UsageError(`--token-file ${JSON.stringify(file)} cannot be read: ${error.code ?? error.message}`, command);
      },
    );
    from = `--token-file ${JSON.stringify(file)}`;
  } else if (typeof flag === 'string') {
    token = flag;
    from = '--token';
  } else {
    token = env['TRIGGERWAY_TOKEN'] ?? '';
    from = 'TRIGGERWAY_TOKEN';
  }
  if (token === '') {
    const source = from === 'TRIGGERWAY_TOKEN' ? '' : ` (${from} is empty)`;
    throw new UsageError(`the admin API needs a token: give --token TOKEN, --token-file FILE or set TRIGGERWAY_TOKEN${source}`, command);
  }
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new UsageError(`the token from ${from} contains spaces or characters an HTTP header cannot carry`, command);
  }
  return token;
}

export const NAMESPACE_OPTION: OptionSpec = { namespace: { type: 'string', short: 'n' } };

const KIND_NAMES: Readonly<Record<string, ApiKind>> = {
  httptriggers: 'HTTPTrigger',
  httptrigger: 'HTTPTrigger',
  ht: 'HTTPTrigger',
  hostgroups: 'HostGroup',
  hostgroup: 'HostGroup',
  hg: 'HostGroup',
  tenants: 'Tenant',
  tenant: 'Tenant',
};

/** For help texts. */
export const KIND_HELP = `KIND: httptriggers (also httptrigger, ht), hostgroups (hostgroup, hg),
      tenants (tenant); any case.`;

/** `ht`, `HTTPTriggers`, `hostgroup` → the kind; case does not matter. */
export function kindArgument(command: string, raw: string | undefined): ApiKind {
  const choices = 'httptriggers (ht), hostgroups (hg) or tenants';
  if (raw === undefined) throw new UsageError(`give a KIND: ${choices}`, command);
  const kind = KIND_NAMES[raw.toLowerCase()];
  if (!kind) throw new UsageError(`unknown KIND ${JSON.stringify(raw)}: give ${choices}`, command);
  return kind;
}

/** A NAME argument, checked as the API checks it (a Tenant's name is a namespace, so a DNS label). */
export function nameArgument(command: string, kind: ApiKind, raw: string): string {
  const problem = kind === 'Tenant' ? dnsLabelProblem(raw) : dnsSubdomainProblem(raw);
  if (problem) throw new UsageError(`NAME ${JSON.stringify(raw)} ${problem}`, command);
  return raw;
}

/** HTTPTriggers live in a namespace, which -n must name; HostGroups and Tenants have none. */
export function namespaceOption(command: string, kind: ApiKind, parsed: Parsed): string | undefined {
  const raw = parsed.values['namespace'];
  if (kind !== 'HTTPTrigger') {
    if (typeof raw === 'string') throw new UsageError(`a ${kind} is cluster-scoped: drop -n/--namespace`, command);
    return undefined;
  }
  if (typeof raw !== 'string') throw new UsageError('HTTPTriggers live in a namespace: give -n/--namespace NS', command);
  const problem = dnsLabelProblem(raw);
  if (problem) throw new UsageError(`-n/--namespace ${JSON.stringify(raw)} ${problem}`, command);
  return raw;
}

/**
 * Runs `use` with a client for the command's server and token, closed afterwards. A failed
 * request is printed naming `what` was asked for (a refusal with the API's code and field
 * details) and exits 1.
 */
export async function withApiClient(
  command: string,
  parsed: Parsed,
  output: Output,
  what: string,
  use: (client: ApiClient) => Promise<number>,
): Promise<number> {
  const client = await apiClient(command, parsed);
  try {
    return await use(client);
  } catch (error) {
    if (error instanceof ApiRequestError) output.err(`triggerway ${command}: ${what}: ${error.describe()}`);
    else output.err(`triggerway ${command}: ${(error as Error).message}`);
    return 1;
  } finally {
    await client.close();
  }
}
