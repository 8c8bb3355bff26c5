/**
 * Admission cost at fleet scale: parsing the manifests, admitting them cold, and
 * re-admitting after one trigger changed. Medians of several runs.
 *   npm run build && node dist/bench/admission.js [runs]
 */
import { cpus } from 'node:os';
import { admit } from '../src/admission/admit.js';
import { tableOwners } from '../src/admission/route-table.js';
import type { HostGroup, HTTPTrigger, Tenant } from '../src/model/resources.js';
import { parseManifestText } from '../src/model/parse-file.js';
import { fleetYaml, ISSUE_FLEET, triggerYaml } from './fleet.js';

const runs = Number(process.argv[2] ?? 7);
const text = fleetYaml(ISSUE_FLEET);

function timed<T>(work: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const result = work();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const parseMs: number[] = [];
const coldMs: number[] = [];
const changeMs: number[] = [];
let summary = '';
for (let run = 0; run < runs; run++) {
  const [parsed, parseTime] = timed(() => parseManifestText(text, 'fleet.yaml'));
  if (parsed.errors.length > 0) throw new Error(`fleet does not parse: ${parsed.errors[0]!.message}`);
  const triggers = parsed.manifests.filter((m): m is HTTPTrigger => m.kind === 'HTTPTrigger');
  const hostGroups = parsed.manifests.filter((m): m is HostGroup => m.kind === 'HostGroup');
  const tenants = parsed.manifests.filter((m): m is Tenant => m.kind === 'Tenant');
  const [cold, coldTime] = timed(() => admit({ triggers, hostGroups, tenants }));
  // One trigger gains a path: the whole fleet is admitted again, as serve does on a change.
  const reparsed = parseManifestText(triggerYaml(ISSUE_FLEET, 500, 5, ['/v2']), 'changed.yaml');
  if (reparsed.errors.length > 0) throw new Error(`changed trigger does not parse: ${reparsed.errors[0]!.message}`);
  const changed = reparsed.manifests[0] as HTTPTrigger;
  const next = triggers.map((t) => (t.metadata.namespace === changed.metadata.namespace && t.metadata.name === changed.metadata.name ? changed : t));
  const [, changeTime] = timed(() => admit({ triggers: next, hostGroups, tenants, previousOwners: tableOwners(cold.table) }));
  parseMs.push(parseTime);
  coldMs.push(coldTime);
  changeMs.push(changeTime);
  const refused = cold.statuses.filter((s) => s.rejections.length > 0).length;
  summary = `${triggers.length} triggers, ${tenants.length} tenants, ${hostGroups.length} HostGroups -> ${cold.table.hosts.length} hosts, ${refused} refused`;
}
const fmt = (values: number[]): string => `median ${median(values).toFixed(1)} ms (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`;
console.log(`${summary}; ${runs} runs on ${cpus().length}x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
console.log(`parse YAML (${(text.length / 1024 / 1024).toFixed(1)} MiB): ${fmt(parseMs)}`);
console.log(`admit cold:               ${fmt(coldMs)}`);
console.log(`admit after one change:   ${fmt(changeMs)}`);
console.log(`heap used: ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MiB, rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`);
