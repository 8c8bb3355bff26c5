/** `triggerway check PATH...`: validate manifests and show what admission decides. */
import { admit } from '../admission/admit.js';
import { formatManifestError } from '../model/issues.js';
import { loadManifests } from '../sources/load-manifests.js';
import { parseOptions } from './options.js';
import type { Output } from './output.js';
import { isClean, renderErrors, renderRejections, renderRoutes, renderStatuses } from './render-admission.js';
import { UsageError } from './usage-error.js';

export const CHECK_HELP = `Usage: triggerway check [options] PATH...

Reads manifests (files, or directories searched recursively for *.yaml, *.yml
and *.json), admits them exactly as \`serve\` would, and prints every trigger
with its hosts, status and reasons, then every manifest error.

Options:
  --json      print the result as JSON (statuses, route table, errors)
  --routes    also print the admitted route table
  -h, --help  show this help

Creation order comes from metadata.creationTimestamp; triggers without one
tie and are ordered by namespace/name (\`serve\` also remembers first-seen
times and current owners, so it can differ for such triggers).

Exit status: 0 when every manifest is valid and every trigger is admitted in
full; 1 when any manifest has an error or any trigger is refused, wholly or
in part; 2 when the command is called wrongly.`;

export async function runCheck(argv: readonly string[], output: Output): Promise<number> {
  const parsed = parseOptions('check', argv, { json: { type: 'boolean' }, routes: { type: 'boolean' } }, true);
  if (parsed.values['help']) {
    output.out(CHECK_HELP);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new UsageError('give at least one PATH (a manifest file or directory)', 'check');
  const manifests = await loadManifests(parsed.positionals);
  const result = admit({ triggers: manifests.triggers, hostGroups: manifests.hostGroups, tenants: manifests.tenants });
  const ok = manifests.errors.length === 0 && result.statuses.every(isClean);
  if (parsed.values['json']) {
    const errors = manifests.errors.map((error) => ({ ...error, text: formatManifestError(error) }));
    output.out(JSON.stringify({ ok, version: result.table.version, statuses: result.statuses, table: result.table, errors }, null, 2));
    return ok ? 0 : 1;
  }
  const sections = [renderStatuses(result.statuses)];
  if (parsed.values['routes']) sections.push(renderRoutes(result.table));
  const rejections = renderRejections(result.statuses);
  if (rejections.length > 0) sections.push(['Refused:', ...rejections.map(indent)].join('\n'));
  const errors = renderErrors(manifests.errors);
  if (errors.length > 0) sections.push(['Manifest errors:', ...errors.map(indent)].join('\n'));
  const refused = result.statuses.filter((status) => !isClean(status)).length;
  sections.push(
    `${result.statuses.length} trigger(s), ${refused} refused in whole or part; ${result.table.hosts.length} host(s); ` +
      `${manifests.hostGroups.length} HostGroup(s); ${manifests.tenants.length} Tenant(s); ${manifests.errors.length} manifest error(s). ` +
      `Route table version ${result.table.version}.`,
  );
  output.out(sections.join('\n\n'));
  return ok ? 0 : 1;
}

function indent(line: string): string {
  return `  ${line}`;
}
