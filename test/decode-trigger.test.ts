/** HTTPTrigger manifests, decoded from YAML text exactly as a file would be (DESIGN.md §2). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldIssue } from '../src/model/issues.js';
import { parseManifestText } from '../src/model/parse-file.js';
import type { HTTPTrigger } from '../src/model/resources.js';
import { decodeOne, documentIssues } from './helpers/decode-document.js';

const FILE = 'trigger.yaml';

const decodeTrigger = (text: string): HTTPTrigger => decodeOne(text, 'HTTPTrigger', FILE);
const issues = (text: string): FieldIssue[] => documentIssues(text, FILE);

/** One trigger document; metadata and spec are YAML flow mappings. */
function trigger(spec: string, metadata = '{name: shop, namespace: team-a}', extra = ''): string {
  return `apiVersion: control.cosmonic.io/v1alpha1\nkind: HTTPTrigger\nmetadata: ${metadata}\nspec: ${spec}\n${extra}`;
}

const withTimestamp = (timestamp: string): string =>
  trigger('{ingress: {host: shop.example.com}}', `{name: shop, namespace: team-a, creationTimestamp: ${timestamp}}`);

const hostList = (count: number): string => JSON.stringify(Array.from({ length: count }, (_, i) => `h${i}.example.com`));
const pathList = (count: number): string => JSON.stringify(Array.from({ length: count }, (_, i) => ({ path: `/p${i}` })));

const COSMONIC_HELLO_WORLD = `apiVersion: control.cosmonic.io/v1alpha1
kind: HTTPTrigger
metadata:
  name: hello-world
  namespace: default
spec:
  replicas: 1
  hostSelector:
    hostgroup: default
  ingress:
    host: "hello.localhost.cosmonic.sh"
    paths:
      - path: /
        pathType: Prefix
  template:
    spec:
      components:
        - name: http
          image: ghcr.io/cosmonic-labs/components/hello-world:0.1.0
      hostInterfaces:
        - namespace: wasi
          package: http
          interfaces: [incoming-handler]
      volumes: []
`;

test("Cosmonic Control's public hello-world HTTPTrigger loads unchanged", () => {
  const { manifests, errors } = parseManifestText(COSMONIC_HELLO_WORLD, 'cosmonic.yaml');
  assert.deepEqual(errors, []);
  assert.deepEqual(manifests, [
    {
      kind: 'HTTPTrigger',
      metadata: { name: 'hello-world', namespace: 'default', labels: {} },
      spec: {
        hosts: [{ value: 'hello.localhost.cosmonic.sh', field: 'spec.ingress.host' }],
        paths: [{ path: '/', pathType: 'Prefix', field: 'spec.ingress.paths[0]' }],
        hostSelector: { hostgroup: 'default' },
      },
      source: { file: 'cosmonic.yaml', doc: 1 },
    },
  ]);
});

test('host and hosts together: host first, then the aliases in order, each with its field', () => {
  const decoded = decodeTrigger(trigger('{ingress: {host: a.example.com, hosts: [b.example.com, c.example.com]}}'));
  assert.deepEqual(decoded.spec.hosts, [
    { value: 'a.example.com', field: 'spec.ingress.host' },
    { value: 'b.example.com', field: 'spec.ingress.hosts[0]' },
    { value: 'c.example.com', field: 'spec.ingress.hosts[1]' },
  ]);
});

test('hosts without host', () => {
  const decoded = decodeTrigger(trigger('{ingress: {hosts: [b.example.com, c.example.com]}}'));
  assert.deepEqual(decoded.spec.hosts, [
    { value: 'b.example.com', field: 'spec.ingress.hosts[0]' },
    { value: 'c.example.com', field: 'spec.ingress.hosts[1]' },
  ]);
});

test('host with an empty hosts list is just the host', () => {
  const decoded = decodeTrigger(trigger('{ingress: {host: a.example.com, hosts: []}}'));
  assert.deepEqual(decoded.spec.hosts, [{ value: 'a.example.com', field: 'spec.ingress.host' }]);
});

test('hosts are kept as written: admission, not decoding, judges them (InvalidHostname)', () => {
  for (const host of ['*', 'Foo.COM.', 'bücher.example', 'host:80', '1.2.3.4']) {
    const decoded = decodeTrigger(trigger(`{ingress: {host: ${JSON.stringify(host)}}}`));
    assert.deepEqual(decoded.spec.hosts, [{ value: host, field: 'spec.ingress.host' }], host);
  }
});

test('paths default to [{path: /, pathType: Prefix}] located at spec.ingress.paths', () => {
  const decoded = decodeTrigger(trigger('{ingress: {host: a.example.com}}'));
  assert.deepEqual(decoded.spec.paths, [{ path: '/', pathType: 'Prefix', field: 'spec.ingress.paths' }]);
});

test('paths are normalised; pathType defaults to Prefix', () => {
  const decoded = decodeTrigger(
    trigger('{ingress: {host: a.example.com, paths: [{path: /api/}, {path: /v1/, pathType: Exact}, {path: /static/, pathType: Prefix}]}}'),
  );
  assert.deepEqual(decoded.spec.paths, [
    { path: '/api', pathType: 'Prefix', field: 'spec.ingress.paths[0]' },
    { path: '/v1/', pathType: 'Exact', field: 'spec.ingress.paths[1]' },
    { path: '/static', pathType: 'Prefix', field: 'spec.ingress.paths[2]' },
  ]);
});

test('hostSelector defaults to {hostgroup: default}', () => {
  assert.deepEqual(decodeTrigger(trigger('{ingress: {host: a.example.com}}')).spec.hostSelector, { hostgroup: 'default' });
});

test('an explicit hostSelector is kept as written', () => {
  const decoded = decodeTrigger(trigger('{hostSelector: {hostgroup: edge, example.com/zone: eu-west}, ingress: {host: a.example.com}}'));
  assert.deepEqual(decoded.spec.hostSelector, { hostgroup: 'edge', 'example.com/zone': 'eu-west' });
});

test('metadata labels are kept and a missing label map decodes as {}', () => {
  const decoded = decodeTrigger(trigger('{ingress: {host: a.example.com}}', '{name: shop, namespace: team-a, labels: {app: shop}}'));
  assert.deepEqual(decoded.metadata, { name: 'shop', namespace: 'team-a', labels: { app: 'shop' } });
});

test('spec.template and spec.replicas of any shape are accepted and ignored; status is tolerated', () => {
  const decoded = decodeTrigger(
    trigger('{replicas: 3, template: {anything: [1, {deep: true}]}, ingress: {host: a.example.com}}', undefined, 'status: {conditions: [{type: Ready, status: "True"}]}\n'),
  );
  assert.deepEqual(Object.keys(decoded.spec).sort(), ['hostSelector', 'hosts', 'paths']);
});

test('apiVersion triggerway.dev/v1alpha1 is accepted, and so is none at all', () => {
  const body = 'kind: HTTPTrigger\nmetadata: {name: shop, namespace: team-a}\nspec: {ingress: {host: a.example.com}}\n';
  assert.equal(decodeTrigger(`apiVersion: triggerway.dev/v1alpha1\n${body}`).metadata.name, 'shop');
  assert.equal(decodeTrigger(body).metadata.name, 'shop');
});

const timestamps: ReadonlyArray<readonly [string, string, string]> = [
  ['offset converted to UTC', '"2026-01-31T13:00:00+01:00"', '2026-01-31T12:00:00.000Z'],
  ['negative offset crossing midnight', '"2026-01-31T23:30:00-01:00"', '2026-02-01T00:30:00.000Z'],
  ['Z', '"2026-01-31T12:00:00Z"', '2026-01-31T12:00:00.000Z'],
  ['fraction', '"2026-01-31T12:00:00.5Z"', '2026-01-31T12:00:00.500Z'],
  ['unquoted (a string in YAML 1.2)', '2026-01-31T12:00:00Z', '2026-01-31T12:00:00.000Z'],
  ['29 February in a leap year', '"2024-02-29T00:00:00Z"', '2024-02-29T00:00:00.000Z'],
];

for (const [label, raw, expected] of timestamps) {
  test(`creationTimestamp normalised to UTC ISO: ${label}`, () => {
    assert.equal(decodeTrigger(withTimestamp(raw)).metadata.creationTimestamp, expected);
  });
}

test('no creationTimestamp means none in the decoded metadata', () => {
  assert.equal('creationTimestamp' in decodeTrigger(trigger('{ingress: {host: a.example.com}}')).metadata, false);
});

const badTimestamp = (raw: string): FieldIssue[] => [
  { field: 'metadata.creationTimestamp', message: `must be an RFC 3339 time such as "2026-01-31T12:00:00Z", got ${raw}` },
];

const refused: ReadonlyArray<readonly [string, string, FieldIssue[]]> = [
  ['missing namespace', trigger('{ingress: {host: a.example.com}}', '{name: shop}'), [{ field: 'metadata.namespace', message: 'required' }]],
  [
    'upper-case namespace',
    trigger('{ingress: {host: a.example.com}}', '{name: shop, namespace: Team_A}'),
    [{ field: 'metadata.namespace', message: 'must consist of lower-case letters, digits and "-", and start and end with a letter or digit' }],
  ],
  [
    'namespace with a dot (a namespace is a DNS label)',
    trigger('{ingress: {host: a.example.com}}', '{name: shop, namespace: team.a}'),
    [{ field: 'metadata.namespace', message: 'must consist of lower-case letters, digits and "-", and start and end with a letter or digit' }],
  ],
  [
    'namespace of 64 characters',
    trigger('{ingress: {host: a.example.com}}', `{name: shop, namespace: ${'n'.repeat(64)}}`),
    [{ field: 'metadata.namespace', message: 'must be at most 63 characters, got 64' }],
  ],
  ['missing name', trigger('{ingress: {host: a.example.com}}', '{namespace: team-a}'), [{ field: 'metadata.name', message: 'required' }]],
  [
    'bad name',
    trigger('{ingress: {host: a.example.com}}', '{name: Hello_World, namespace: team-a}'),
    [{ field: 'metadata.name', message: 'must consist of lower-case letters, digits, "-" and ".", and start and end with a letter or digit' }],
  ],
  ['missing metadata', 'kind: HTTPTrigger\nspec: {ingress: {host: a.example.com}}\n', [{ field: 'metadata', message: 'required' }]],
  ['missing spec', 'kind: HTTPTrigger\nmetadata: {name: shop, namespace: team-a}\n', [{ field: 'spec', message: 'required' }]],
  ['missing ingress', trigger('{hostSelector: {hostgroup: default}}'), [{ field: 'spec.ingress', message: 'required' }]],
  ['missing host', trigger('{ingress: {paths: [{path: /}]}}'), [{ field: 'spec.ingress.host', message: 'required: give spec.ingress.host or spec.ingress.hosts' }]],
  ['empty hosts without host', trigger('{ingress: {hosts: []}}'), [{ field: 'spec.ingress.hosts', message: 'must not be empty' }]],
  ['numeric host', trigger('{ingress: {host: 42}}'), [{ field: 'spec.ingress.host', message: 'must be a string, got 42' }]],
  ['host given as a list', trigger('{ingress: {host: [a.example.com]}}'), [{ field: 'spec.ingress.host', message: 'must be a string, got a list' }]],
  ['non-string alias', trigger('{ingress: {hosts: [a.example.com, true]}}'), [{ field: 'spec.ingress.hosts[1]', message: 'must be a string, got true' }]],
  ['hosts given as a string', trigger('{ingress: {hosts: a.example.com}}'), [{ field: 'spec.ingress.hosts', message: 'must be a list, got "a.example.com"' }]],
  [
    '17 aliases',
    trigger(`{ingress: {hosts: ${hostList(17)}}}`),
    [{ field: 'spec.ingress.hosts', message: 'must have at most 16 entries, got 17' }],
  ],
  [
    'host plus 16 aliases',
    trigger(`{ingress: {host: a.example.com, hosts: ${hostList(16)}}}`),
    [{ field: 'spec.ingress.hosts', message: 'a trigger may declare at most 16 hosts, got 17' }],
  ],
  [
    '65 paths',
    trigger(`{ingress: {host: a.example.com, paths: ${pathList(65)}}}`),
    [{ field: 'spec.ingress.paths', message: 'must have at most 64 entries, got 65' }],
  ],
  [
    'empty paths',
    trigger('{ingress: {host: a.example.com, paths: []}}'),
    [{ field: 'spec.ingress.paths', message: 'must not be empty (omit it to route every path: [{path: /, pathType: Prefix}])' }],
  ],
  [
    'pathType in lower case, at index 1',
    trigger('{ingress: {host: a.example.com, paths: [{path: /a, pathType: Exact}, {path: /b, pathType: prefix}]}}'),
    [{ field: 'spec.ingress.paths[1].pathType', message: 'must be Prefix or Exact, got "prefix"' }],
  ],
  [
    'pathType RegularExpression',
    trigger('{ingress: {host: a.example.com, paths: [{path: /a, pathType: RegularExpression}]}}'),
    [{ field: 'spec.ingress.paths[0].pathType', message: 'must be Prefix or Exact, got "RegularExpression"' }],
  ],
  ['missing path', trigger('{ingress: {host: a.example.com, paths: [{pathType: Exact}]}}'), [{ field: 'spec.ingress.paths[0].path', message: 'required' }]],
  [
    'bad path at index 2',
    trigger('{ingress: {host: a.example.com, paths: [{path: /a}, {path: /b}, {path: c}]}}'),
    [{ field: 'spec.ingress.paths[2].path', message: 'must start with "/"' }],
  ],
  [
    'path rule that is a string',
    trigger('{ingress: {host: a.example.com, paths: [/a]}}'),
    [{ field: 'spec.ingress.paths[0]', message: 'must be an object, got "/a"' }],
  ],
  [
    'pathtype (did you mean pathType)',
    trigger('{ingress: {host: a.example.com, paths: [{path: /a, pathtype: Exact}]}}'),
    [{ field: 'spec.ingress.paths[0].pathtype', message: 'unknown field; did you mean "pathType"?' }],
  ],
  [
    'ingres (did you mean ingress)',
    trigger('{ingres: {host: a.example.com}}'),
    [
      { field: 'spec.ingres', message: 'unknown field; did you mean "ingress"?' },
      { field: 'spec.ingress', message: 'required' },
    ],
  ],
  [
    'hostselector (did you mean hostSelector)',
    trigger('{hostselector: {hostgroup: edge}, ingress: {host: a.example.com}}'),
    [{ field: 'spec.hostselector', message: 'unknown field; did you mean "hostSelector"?' }],
  ],
  [
    'namspace (did you mean namespace)',
    trigger('{ingress: {host: a.example.com}}', '{name: shop, namespace: team-a, namspace: team-b}'),
    [{ field: 'metadata.namspace', message: 'unknown field; did you mean "namespace"?' }],
  ],
  [
    'unknown spec field without a close match',
    trigger('{ingress: {host: a.example.com}, websockets: true}'),
    [{ field: 'spec.websockets', message: 'unknown field (known: ingress, hostSelector, template, replicas)' }],
  ],
  [
    'unknown path field without a close match',
    trigger('{ingress: {host: a.example.com, paths: [{path: /a, weight: 5}]}}'),
    [{ field: 'spec.ingress.paths[0].weight', message: 'unknown field (known: path, pathType)' }],
  ],
  [
    'unknown top-level field',
    trigger('{ingress: {host: a.example.com}}', undefined, 'extra: 1\n'),
    [{ field: 'extra', message: 'unknown field (known: apiVersion, kind, metadata, spec, status)' }],
  ],
  [
    'empty hostSelector',
    trigger('{hostSelector: {}, ingress: {host: a.example.com}}'),
    [{ field: 'spec.hostSelector', message: 'must name at least one label (omit it to use {hostgroup: default})' }],
  ],
  [
    'hostSelector with a bad label key',
    trigger('{hostSelector: {"bad key!": edge}, ingress: {host: a.example.com}}'),
    [
      {
        field: 'spec.hostSelector.bad key!',
        message: 'label keys are at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
      },
    ],
  ],
  [
    'hostSelector with a bad label value',
    trigger('{hostSelector: {hostgroup: "-edge"}, ingress: {host: a.example.com}}'),
    [
      {
        field: 'spec.hostSelector.hostgroup',
        message: 'label values are at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
      },
    ],
  ],
  [
    'hostSelector with a non-string value',
    trigger('{hostSelector: {hostgroup: 5}, ingress: {host: a.example.com}}'),
    [{ field: 'spec.hostSelector.hostgroup', message: 'must be a string, got 5' }],
  ],
  [
    'metadata label with a bad key',
    trigger('{ingress: {host: a.example.com}}', '{name: shop, namespace: team-a, labels: {-app: shop}}'),
    [{ field: 'metadata.labels.-app', message: 'label keys are at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit' }],
  ],
  ['creationTimestamp in words', withTimestamp('yesterday'), badTimestamp('"yesterday"')],
  ['creationTimestamp month 13', withTimestamp('"2026-13-01T00:00:00Z"'), badTimestamp('"2026-13-01T00:00:00Z"')],
  ['creationTimestamp 30 February', withTimestamp('"2026-02-30T00:00:00Z"'), badTimestamp('"2026-02-30T00:00:00Z"')],
  ['creationTimestamp 29 February in a common year', withTimestamp('"2026-02-29T00:00:00Z"'), badTimestamp('"2026-02-29T00:00:00Z"')],
  ['creationTimestamp 31 April', withTimestamp('"2026-04-31T00:00:00Z"'), badTimestamp('"2026-04-31T00:00:00Z"')],
  ['creationTimestamp hour 24', withTimestamp('"2026-01-31T24:00:00Z"'), badTimestamp('"2026-01-31T24:00:00Z"')],
  ['creationTimestamp without an offset', withTimestamp('"2026-01-31T12:00:00"'), badTimestamp('"2026-01-31T12:00:00"')],
  ['creationTimestamp date only', withTimestamp('"2026-01-31"'), badTimestamp('"2026-01-31"')],
  ['creationTimestamp as a number', withTimestamp('1769860800'), [{ field: 'metadata.creationTimestamp', message: 'must be a string, got 1769860800' }]],
  [
    'wrong apiVersion',
    `apiVersion: v1\n${trigger('{ingress: {host: a.example.com}}').replace(/^apiVersion: .*\n/, '')}`,
    [{ field: 'apiVersion', message: 'HTTPTrigger is served as control.cosmonic.io/v1alpha1 or triggerway.dev/v1alpha1, got "v1"' }],
  ],
  [
    'unknown kind',
    'apiVersion: control.cosmonic.io/v1alpha1\nkind: Ingress\nmetadata: {name: shop, namespace: team-a}\n',
    [{ field: 'kind', message: 'unknown kind "Ingress" (known: HTTPTrigger, HostGroup, Tenant)' }],
  ],
  [
    'kind in the wrong case',
    'kind: httptrigger\nmetadata: {name: shop, namespace: team-a}\n',
    [{ field: 'kind', message: 'unknown kind "httptrigger" (known: HTTPTrigger, HostGroup, Tenant)' }],
  ],
  ['missing kind', 'metadata: {name: shop, namespace: team-a}\nspec: {ingress: {host: a.example.com}}\n', [{ field: 'kind', message: 'required' }]],
];

for (const [label, text, expected] of refused) {
  test(`HTTPTrigger refused: ${label}`, () => {
    assert.deepEqual(issues(text), expected);
  });
}

test('exactly 16 hosts and exactly 64 paths are accepted', () => {
  const decoded = decodeTrigger(trigger(`{ingress: {hosts: ${hostList(16)}, paths: ${pathList(64)}}}`));
  assert.equal(decoded.spec.hosts.length, 16);
  assert.equal(decoded.spec.paths.length, 64);
  assert.deepEqual(decoded.spec.paths[63], { path: '/p63', pathType: 'Prefix', field: 'spec.ingress.paths[63]' });
});

test('every problem in a document is reported in one pass', () => {
  const found = issues(trigger('{ingress: {paths: [{path: x}, {path: /y, pathType: prefix}]}, hostSelector: {}}', '{name: shop}'));
  assert.deepEqual(found, [
    { field: 'metadata.namespace', message: 'required' },
    { field: 'spec.hostSelector', message: 'must name at least one label (omit it to use {hostgroup: default})' },
    { field: 'spec.ingress.host', message: 'required: give spec.ingress.host or spec.ingress.hosts' },
    { field: 'spec.ingress.paths[0].path', message: 'must start with "/"' },
    { field: 'spec.ingress.paths[1].pathType', message: 'must be Prefix or Exact, got "prefix"' },
  ]);
});
