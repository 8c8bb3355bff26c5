/** Tenant manifests: the platform's policy for one namespace (DESIGN.md §2). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldIssue } from '../src/model/issues.js';
import type { Tenant } from '../src/model/resources.js';
import { decodeOne, documentIssues } from './helpers/decode-document.js';

const FILE = 'tenant.yaml';

const decodeTenant = (text: string): Tenant => decodeOne(text, 'Tenant', FILE);
const issues = (text: string): FieldIssue[] => documentIssues(text, FILE);

/** One Tenant document; metadata and spec are YAML flow mappings, spec omitted when undefined. */
function tenant(spec: string | undefined, metadata = '{name: team-a}', apiVersion = 'triggerway.dev/v1alpha1'): string {
  return `apiVersion: ${apiVersion}\nkind: Tenant\nmetadata: ${metadata}\n${spec === undefined ? '' : `spec: ${spec}\n`}`;
}

test('a full Tenant decodes with hostnames normalised like the hosts they are compared with', () => {
  const decoded = decodeTenant(tenant('{hostnames: ["*.Team-A.example.com.", "Team-A.Example.COM"], hostGroups: [default, edge.eu], maxTriggers: 100}'));
  assert.deepEqual(decoded, {
    kind: 'Tenant',
    metadata: { name: 'team-a', labels: {} },
    spec: {
      hostnames: ['*.team-a.example.com', 'team-a.example.com'],
      hostGroups: ['default', 'edge.eu'],
      maxTriggers: 100,
    },
    source: { file: FILE, doc: 1 },
  });
});

test('absent fields mean no restriction and are absent from the decoded spec', () => {
  for (const text of [tenant(undefined), tenant('{}'), tenant('{hostnames: null, hostGroups: null, maxTriggers: null}')]) {
    const decoded = decodeTenant(text);
    assert.deepEqual(decoded.spec, {});
    for (const key of ['hostnames', 'hostGroups', 'maxTriggers']) assert.equal(key in decoded.spec, false, key);
  }
});

test('empty lists and maxTriggers 0 are kept: they restrict everything', () => {
  const decoded = decodeTenant(tenant('{hostnames: [], hostGroups: [], maxTriggers: 0}'));
  assert.deepEqual(decoded.spec, { hostnames: [], hostGroups: [], maxTriggers: 0 });
});

const NAMESPACE_RULE = 'must consist of lower-case letters, digits and "-", and start and end with a letter or digit';

const refused: ReadonlyArray<readonly [string, string, FieldIssue[]]> = [
  [
    'wildcard over a top-level domain',
    tenant('{hostnames: [ok.example.com, "*.com"]}'),
    [{ field: 'spec.hostnames[1]', message: 'a wildcard needs at least two labels after "*." (e.g. "*.example.com")' }],
  ],
  [
    'every invalid pattern, each at its index',
    tenant('{hostnames: ["a..example.com", ok.example.com, "1.2.3.4"]}'),
    [
      { field: 'spec.hostnames[0]', message: 'must not contain an empty label (".." or a leading ".")' },
      { field: 'spec.hostnames[2]', message: 'IP addresses are not allowed, only DNS names' },
    ],
  ],
  [
    'unicode hostname',
    tenant('{hostnames: [bücher.example]}'),
    [{ field: 'spec.hostnames[0]', message: 'must contain only printable ASCII characters; write IDNs as A-labels, e.g. "xn--bcher-kva.example"' }],
  ],
  ['non-string hostname', tenant('{hostnames: [ok.example.com, 5]}'), [{ field: 'spec.hostnames[1]', message: 'must be a string, got 5' }]],
  ['hostnames as a string', tenant('{hostnames: ok.example.com}'), [{ field: 'spec.hostnames', message: 'must be a list, got "ok.example.com"' }]],
  [
    'bad hostGroup name',
    tenant('{hostGroups: [default, Edge_EU]}'),
    [{ field: 'spec.hostGroups[1]', message: 'must consist of lower-case letters, digits, "-" and ".", and start and end with a letter or digit' }],
  ],
  ['non-string hostGroup', tenant('{hostGroups: [default, 7]}'), [{ field: 'spec.hostGroups[1]', message: 'must be a string, got 7' }]],
  ['negative maxTriggers', tenant('{maxTriggers: -1}'), [{ field: 'spec.maxTriggers', message: 'must be between 0 and 1000000, got -1' }]],
  ['fractional maxTriggers', tenant('{maxTriggers: 1.5}'), [{ field: 'spec.maxTriggers', message: 'must be a whole number, got 1.5' }]],
  ['maxTriggers as a string', tenant('{maxTriggers: "10"}'), [{ field: 'spec.maxTriggers', message: 'must be a whole number, got "10"' }]],
  ['maxTriggers too large', tenant('{maxTriggers: 1000001}'), [{ field: 'spec.maxTriggers', message: 'must be between 0 and 1000000, got 1000001' }]],
  ['name with a dot (names a namespace)', tenant('{}', '{name: a.b}'), [{ field: 'metadata.name', message: `names a namespace, so it ${NAMESPACE_RULE}` }]],
  [
    'name of 64 characters',
    tenant('{}', `{name: ${'t'.repeat(64)}}`),
    [{ field: 'metadata.name', message: 'names a namespace, so it must be at most 63 characters, got 64' }],
  ],
  [
    'upper-case name',
    tenant('{}', '{name: Team-A}'),
    [{ field: 'metadata.name', message: 'must consist of lower-case letters, digits, "-" and ".", and start and end with a letter or digit' }],
  ],
  [
    'metadata.namespace (Tenant is cluster-scoped)',
    tenant('{}', '{name: team-a, namespace: team-a}'),
    [{ field: 'metadata.namespace', message: 'this kind is cluster-scoped (platform-owned); remove metadata.namespace' }],
  ],
  ['hostname (did you mean hostnames)', tenant('{hostname: [a.example.com]}'), [{ field: 'spec.hostname', message: 'unknown field; did you mean "hostnames"?' }]],
  ['unknown spec field', tenant('{quota: 5}'), [{ field: 'spec.quota', message: 'unknown field (known: hostnames, hostGroups, maxTriggers)' }]],
  ['spec that is a list', tenant('[a]'), [{ field: 'spec', message: 'must be an object, got a list' }]],
  [
    'HTTPTrigger apiVersion',
    tenant('{}', undefined, 'control.cosmonic.io/v1alpha1'),
    [{ field: 'apiVersion', message: 'Tenant is served as triggerway.dev/v1alpha1, got "control.cosmonic.io/v1alpha1"' }],
  ],
];

for (const [label, text, expected] of refused) {
  test(`Tenant refused: ${label}`, () => {
    assert.deepEqual(issues(text), expected);
  });
}
