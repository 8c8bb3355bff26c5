/**
 * The ISSUE_FLEET (10,000 triggers) as bench/xds holds it: parsed once, admitted, and
 * changed one trigger at a time (a different plain trigger gains a path each time), with
 * admission run as `serve` runs it, carrying the previous owners over.
 */
import { admit } from '../src/admission/admit.js';
import { tableOwners } from '../src/admission/route-table.js';
import type { AdmissionResult } from '../src/admission/types.js';
import type { HostGroup, HTTPTrigger, Tenant } from '../src/model/resources.js';
import { parseManifestText } from '../src/model/parse-file.js';
import { fleetYaml, ISSUE_FLEET, triggerYaml } from './fleet.js';
import { timed } from './xds-stats.js';

/** Triggers whose host is plain `t<t>.ns-<n>.example.com` and admitted (not wildcard, not poaching). */
const PLAIN_TRIGGERS = [0, 1, 2, 4, 5, 6, 8, 9];

export class Fleet {
  readonly triggers: HTTPTrigger[];
  readonly hostGroups: HostGroup[];
  readonly tenants: Tenant[];
  readonly parseMs: number;
  readonly yamlBytes: number;
  result: AdmissionResult;
  readonly #index = new Map<string, number>();
  #changes = 0;

  constructor() {
    const text = fleetYaml(ISSUE_FLEET);
    this.yamlBytes = Buffer.byteLength(text);
    const [parsed, parseMs] = timed(() => parseManifestText(text, 'fleet.yaml'));
    if (parsed.errors.length > 0) throw new Error(`fleet does not parse: ${parsed.errors[0]!.message}`);
    this.parseMs = parseMs;
    this.triggers = parsed.manifests.filter((m): m is HTTPTrigger => m.kind === 'HTTPTrigger');
    this.hostGroups = parsed.manifests.filter((m): m is HostGroup => m.kind === 'HostGroup');
    this.tenants = parsed.manifests.filter((m): m is Tenant => m.kind === 'Tenant');
    this.triggers.forEach((trigger, index) => this.#index.set(`${trigger.metadata.namespace}/${trigger.metadata.name}`, index));
    this.result = admit({ triggers: this.triggers, hostGroups: this.hostGroups, tenants: this.tenants });
  }

  admitCold(): [AdmissionResult, number] {
    return timed(() => admit({ triggers: this.triggers, hostGroups: this.hostGroups, tenants: this.tenants }));
  }

  /** One trigger gains a path (a different trigger each time); admission runs as `serve` runs it. */
  change(): { result: AdmissionResult; admitMs: number; host: string } {
    const k = this.#changes++;
    const n = (k * 389 + 11) % ISSUE_FLEET.namespaces;
    const t = PLAIN_TRIGGERS[k % PLAIN_TRIGGERS.length]!;
    const parsed = parseManifestText(triggerYaml(ISSUE_FLEET, n, t, [`/change-${k}`]), 'changed.yaml');
    if (parsed.errors.length > 0) throw new Error(`changed trigger does not parse: ${parsed.errors[0]!.message}`);
    const changed = parsed.manifests[0] as HTTPTrigger;
    const index = this.#index.get(`${changed.metadata.namespace}/${changed.metadata.name}`);
    if (index === undefined) throw new Error('changed trigger is not in the fleet');
    this.triggers[index] = changed;
    const previousOwners = tableOwners(this.result.table);
    const [result, admitMs] = timed(() => admit({ triggers: this.triggers, hostGroups: this.hostGroups, tenants: this.tenants, previousOwners }));
    this.result = result;
    return { result, admitMs, host: `t${t}.ns-${String(n).padStart(4, '0')}.example.com` };
  }
}
