/** `triggerway apply -f FILE|DIR...`: check manifests as `check` does, then write them through the admin API. */
import { manifestRef } from '../admin/client/api-client.js';
import { ApiRequestError } from '../admin/client/api-request-error.js';
import { loadManifestDocuments, type SourcedDocument } from '../admin/client/manifest-documents.js';
import { formatManifestError } from '../model/issues.js';
import { API_OPTIONS, API_OPTIONS_HELP, apiClient } from './api-options.js';
import { parseOptions } from './options.js';
import type { Output } from './output.js';
import { applyVerdict, renderApplyResults, type ApplyResult } from './render-api.js';
import { renderErrors } from './render-admission.js';
import { UsageError } from './usage-error.js';

export const APPLY_HELP = `Usage: triggerway apply [options] -f PATH [-f PATH ...]

Reads manifests exactly as \`check\` does (files, or directories searched
recursively for *.yaml, *.yml and *.json) and, when every one is valid, writes
each through the admin API, creating or replacing it: HostGroups first, then
Tenants, then HTTPTriggers, so that the triggers' references exist. Prints
each object with whether it was created or replaced (configured) and whether
admission accepted it, then every refusal, located.

A manifest with metadata.resourceVersion replaces only that version (it is
also sent as If-Match); when the stored object is newer the write fails with
Conflict. A refused object does not stop the others.

Options:
  -f, --filename PATH  a manifest file or directory; repeat for more
  --json               print the API's answers as JSON
  -h, --help           show this help

${API_OPTIONS_HELP}

Exit status: 0 when every object was written and every trigger admitted in
full; 1 when any manifest has an error (then nothing is sent), the API refused
any object, admission refused any trigger wholly or in part, or the server
could not be reached; 2 when the command is called wrongly.`;

export async function runApply(argv: readonly string[], output: Output): Promise<number> {
  const options = { ...API_OPTIONS, filename: { type: 'string', short: 'f', multiple: true }, json: { type: 'boolean' } } as const;
  const parsed = parseOptions('apply', argv, options, false);
  if (parsed.values['help']) {
    output.out(APPLY_HELP);
    return 0;
  }
  // `multiple` makes parseArgs return a list, which Parsed's value type does not spell out.
  const paths = (parsed.values['filename'] as readonly string[] | undefined) ?? [];
  if (paths.length === 0) throw new UsageError('give at least one -f PATH (a manifest file or directory)', 'apply');
  const json = parsed.values['json'] === true;
  const client = await apiClient('apply', parsed);
  try {
    const loaded = await loadManifestDocuments(paths);
    if (loaded.errors.length > 0) {
      if (json) {
        const errors = loaded.errors.map((error) => ({ ...error, text: formatManifestError(error) }));
        output.out(JSON.stringify({ ok: false, results: [], notSent: [], errors }, null, 2));
      } else {
        const lines = renderErrors(loaded.errors).map((line) => `  ${line}`);
        output.out(`Manifest errors:\n${lines.join('\n')}\n\nNothing was applied: ${loaded.errors.length} manifest error(s).`);
      }
      return 1;
    }
    const results: ApplyResult[] = [];
    let stopped: string | undefined;
    for (const sourced of loaded.documents) {
      const ref = manifestRef(sourced.document);
      const source = sourced.manifest.source;
      try {
        const { created, object } = await client.put(sourced.document);
        results.push({ ref, ...(source && { source }), outcome: created ? 'created' : 'configured', object });
      } catch (error) {
        // An unreachable server, or one that refuses the token, would refuse every other object too.
        if (!(error instanceof ApiRequestError)) {
          stopped = (error as Error).message;
          break;
        }
        results.push({ ref, ...(source && { source }), outcome: 'failed', error });
        if (error.status === 401) {
          stopped = `the server refused the token: ${error.describe()}`;
          break;
        }
      }
    }
    const notSent = loaded.documents.slice(results.length);
    report(output, json, results, notSent);
    if (stopped !== undefined) {
      output.err(`triggerway apply: ${stopped}; stopped with ${notSent.length} of ${loaded.documents.length} object(s) not applied`);
    }
    return stopped === undefined && results.every((result) => applyVerdict(result).ok) ? 0 : 1;
  } finally {
    await client.close();
  }
}

function report(output: Output, json: boolean, results: readonly ApplyResult[], notSent: readonly SourcedDocument[]): void {
  if (json) {
    const ok = notSent.length === 0 && results.every((result) => applyVerdict(result).ok);
    const unsent = notSent.map(({ manifest, document }) => ({ ...refJson(manifestRef(document)), ...(manifest.source && { source: manifest.source }) }));
    output.out(JSON.stringify({ ok, results: results.map(resultJson), notSent: unsent, errors: [] }, null, 2));
  } else if (results.length > 0) {
    output.out(renderApplyResults(results));
  }
}

/** The API's answer as it came, beside which object and document it was for. */
function resultJson(result: ApplyResult): Record<string, unknown> {
  const answer =
    result.outcome === 'failed'
      ? { error: { status: result.error.status, code: result.error.code, message: result.error.message, details: result.error.details } }
      : { object: result.object };
  return { ...refJson(result.ref), ...(result.source && { source: result.source }), result: result.outcome, ...answer };
}

function refJson(ref: ApplyResult['ref']): Record<string, unknown> {
  return { kind: ref.kind, ...(ref.namespace !== undefined && { namespace: ref.namespace }), name: ref.name };
}
