/**
 * Differential check of virtual host selection against an independent implementation of the
 * same xDS rules: grpc-js-xds's findVirtualHostForDomain (exact, longest suffix, longest
 * prefix, universe). A seeded generator makes the table and the hosts, so a failure is
 * reproducible. The two differ only where the "*" would match nothing (grpc-js accepts
 * `.example.com` for `*.example.com`, Envoy does not); no generated host starts with "." and
 * trailing dots are stripped, so that case never arises here (virtual-host tests cover it).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findVirtualHostForDomain } from '@grpc/grpc-js-xds/build/src/xds-dependency-manager.js';
import { compileRouteConfiguration } from '../src/router/config/compile-route-configuration.js';
import { parseRequestAuthority } from '../src/router/routing/request-authority.js';
import { seededRandom } from './helpers/seeded-random.js';


const random = seededRandom(20261125);
const int = (max: number) => Math.floor(random() * max);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
const label = () => {
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let text = '';
  for (let i = 0, n = 1 + int(6); i < n; i++) text += letters[int(letters.length)];
  return random() < 0.15 ? `${text}-${letters[int(26)]}` : text;
};

interface Table {
  readonly domains: string[];
  readonly kinds: Map<string, 'exact' | 'suffix' | 'prefix'>;
}

/** ~200 unique patterns over 15 bases: exact names, nested `*.` suffixes, `*-x.` suffixes, a few `prefix.*`. */
function generateTable(): Table {
  const bases = Array.from({ length: 15 }, () => `${label()}.${pick(['com', 'org', 'net', 'io'])}`);
  const kinds = new Map<string, 'exact' | 'suffix' | 'prefix'>();
  while (kinds.size < 200) {
    const base = pick(bases);
    const roll = random();
    if (roll < 0.4) kinds.set(random() < 0.3 ? base : `${label()}.${random() < 0.5 ? `${label()}.` : ''}${base}`, 'exact');
    else if (roll < 0.75) kinds.set(`*.${random() < 0.5 ? `${label()}.` : ''}${base}`, 'suffix');
    else if (roll < 0.9) kinds.set(`*-${label()}.${base}`, 'suffix');
    else kinds.set(`${label()}.${random() < 0.5 ? `${label()}.` : ''}*`, 'prefix');
  }
  return { domains: [...kinds.keys()], kinds };
}

/** ~2000 request hosts: hits of every kind at several depths, near-misses, upper-case variants. */
function generateHosts(table: Table): string[] {
  const hosts: string[] = [];
  const instance = (domain: string) => {
    const labels = Array.from({ length: 1 + int(3) }, label).join('.');
    if (domain.startsWith('*')) return `${labels}${domain.slice(1)}`;
    if (domain.endsWith('*')) return `${domain.slice(0, -1)}${labels}`;
    return domain;
  };
  const nearMiss = (domain: string) => {
    const plain = domain.replace('*', label());
    switch (int(4)) {
      case 0:
        return plain.slice(plain.indexOf('.') + 1); // the parent: `*.a.com` → `a.com`
      case 1:
        return `x${plain.replace(/^[^.]*\./, '')}`; // glued: `xa.com`
      case 2: {
        const at = int(plain.length);
        return `${plain.slice(0, at)}${plain[at] === 'q' ? 'z' : 'q'}${plain.slice(at + 1)}`;
      }
      default:
        return `${plain}.${label()}`;
    }
  };
  while (hosts.length < 2000) {
    const domain = pick(table.domains);
    const roll = random();
    const host = roll < 0.55 ? instance(domain) : roll < 0.9 ? nearMiss(domain) : instance(domain).toUpperCase();
    if (host !== '' && !host.startsWith('.') && !host.includes('..')) hosts.push(host);
  }
  return hosts;
}

test('virtual host choice agrees with grpc-js-xds for 2000 generated hosts over 200 domains', () => {
  const table = generateTable();
  const hosts = generateHosts(table);
  // One to three domains per virtual host, in generation order.
  const virtualHosts: { name: string; domains: string[] }[] = [];
  for (let i = 0; i < table.domains.length; ) {
    const size = 1 + int(3);
    virtualHosts.push({ name: `vh${virtualHosts.length}`, domains: table.domains.slice(i, i + size) });
    i += size;
  }
  const config = compileRouteConfiguration({
    name: 'differential',
    virtual_hosts: virtualHosts.map((virtualHost) => ({ ...virtualHost, routes: [] })),
  });
  const outcomes = new Map<string, number>();
  for (const raw of hosts) {
    const authority = parseRequestAuthority(raw);
    assert.ok('host' in authority, raw);
    const ours = config.virtualHosts.find(authority.host)?.name;
    const reference = findVirtualHostForDomain(virtualHosts, authority.host)?.name;
    assert.equal(ours, reference, `host ${raw}`);
    const winner = reference === undefined ? 'miss' : bestKind(table, virtualHosts, reference, authority.host);
    outcomes.set(winner, (outcomes.get(winner) ?? 0) + 1);
  }
  // The sample exercises every outcome, so agreement is not vacuous.
  for (const kind of ['exact', 'suffix', 'prefix', 'miss']) assert.ok((outcomes.get(kind) ?? 0) >= 20, `${kind}: ${outcomes.get(kind) ?? 0}`);
});

/** Which kind of domain of the chosen virtual host took `host`. */
function bestKind(table: Table, virtualHosts: readonly { name: string; domains: string[] }[], name: string, host: string): string {
  const domains = virtualHosts.find((virtualHost) => virtualHost.name === name)?.domains ?? [];
  if (domains.includes(host)) return 'exact';
  const kinds = domains.map((domain) => table.kinds.get(domain));
  return domains.some((domain, i) => kinds[i] === 'suffix' && host.endsWith(domain.slice(1))) ? 'suffix' : 'prefix';
}
