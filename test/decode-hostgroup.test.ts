/** HostGroup manifests: gateways, health checks, implicit label, cluster scope (DESIGN.md §2). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldIssue } from '../src/model/issues.js';
import type { HostGroup } from '../src/model/resources.js';
import { decodeOne, documentIssues } from './helpers/decode-document.js';

const FILE = 'hostgroup.yaml';

const decodeHostGroup = (text: string): HostGroup => decodeOne(text, 'HostGroup', FILE);
const issues = (text: string): FieldIssue[] => documentIssues(text, FILE);

/** One HostGroup document; metadata and spec are YAML flow mappings, spec omitted when undefined. */
function hostGroup(spec: string | undefined, metadata = '{name: edge}', apiVersion = 'k8s.cosmonic.io/v1alpha1'): string {
  return `apiVersion: ${apiVersion}\nkind: HostGroup\nmetadata: ${metadata}\n${spec === undefined ? '' : `spec: ${spec}\n`}`;
}

const gateway = (address: string, port: string): string => hostGroup(`{gateways: [{address: ${JSON.stringify(address)}, port: ${port}}]}`);

test('gateways with IPv4 and IPv6 addresses decode as written, with the implicit hostgroup label', () => {
  const decoded = decodeHostGroup(hostGroup('{gateways: [{address: 10.0.0.1, port: 9000}, {address: "fd00::1", port: 9001}]}'));
  assert.deepEqual(decoded, {
    kind: 'HostGroup',
    metadata: { name: 'edge', labels: { hostgroup: 'edge' } },
    spec: {
      gateways: [
        { address: '10.0.0.1', port: 9000 },
        { address: 'fd00::1', port: 9001 },
      ],
    },
    source: { file: FILE, doc: 1 },
  });
});

test('ports 1 and 65535 are accepted, and loopback addresses too', () => {
  const decoded = decodeHostGroup(hostGroup('{gateways: [{address: 127.0.0.1, port: 1}, {address: "::1", port: 65535}]}'));
  assert.deepEqual(decoded.spec.gateways, [
    { address: '127.0.0.1', port: 1 },
    { address: '::1', port: 65535 },
  ]);
});

const IP_REQUIRED = (address: string): string =>
  `must be an IP address (endpoints are not resolved through DNS), got ${JSON.stringify(address)}`;

const refusedAddresses: ReadonlyArray<readonly [string, string, string | RegExp]> = [
  ['localhost', 'localhost', IP_REQUIRED('localhost')],
  ['a DNS name', 'gw.internal.example.com', IP_REQUIRED('gw.internal.example.com')],
  ['bracketed IPv6', '[::1]', IP_REQUIRED('[::1]')],
  ['address with a port', '10.0.0.1:9000', IP_REQUIRED('10.0.0.1:9000')],
  ['empty address', '', IP_REQUIRED('')],
  ['IPv4 unspecified address', '0.0.0.0', /unspecified/],
  ['IPv6 unspecified address', '::', /unspecified/],
];

for (const [label, address, expected] of refusedAddresses) {
  test(`gateway address refused: ${label}`, () => {
    const found = issues(gateway(address, '9000'));
    assert.equal(found.length, 1);
    assert.equal(found[0]!.field, 'spec.gateways[0].address');
    if (typeof expected === 'string') assert.equal(found[0]!.message, expected);
    else assert.match(found[0]!.message, expected);
  });
}

test('an unspecified address is refused for what it is, not as "not an IP address"', () => {
  const [found] = issues(gateway('0.0.0.0', '9000'));
  assert.doesNotMatch(found!.message, /must be an IP address/);
  assert.match(found!.message, /"0\.0\.0\.0"/);
});

const refused: ReadonlyArray<readonly [string, string, FieldIssue[]]> = [
  ['port 0', gateway('10.0.0.1', '0'), [{ field: 'spec.gateways[0].port', message: 'must be between 1 and 65535, got 0' }]],
  ['port 70000', gateway('10.0.0.1', '70000'), [{ field: 'spec.gateways[0].port', message: 'must be between 1 and 65535, got 70000' }]],
  ['port as a string', gateway('10.0.0.1', '"9000"'), [{ field: 'spec.gateways[0].port', message: 'must be a whole number, got "9000"' }]],
  ['fractional port', gateway('10.0.0.1', '90.5'), [{ field: 'spec.gateways[0].port', message: 'must be a whole number, got 90.5' }]],
  ['missing port', hostGroup('{gateways: [{address: 10.0.0.1}]}'), [{ field: 'spec.gateways[0].port', message: 'required' }]],
  ['missing address', hostGroup('{gateways: [{port: 9000}]}'), [{ field: 'spec.gateways[0].address', message: 'required' }]],
  [
    'duplicate gateway',
    hostGroup('{gateways: [{address: 10.0.0.1, port: 9000}, {address: 10.0.0.2, port: 9000}, {address: 10.0.0.1, port: 9000}]}'),
    [{ field: 'spec.gateways[2]', message: 'duplicates spec.gateways[0]' }],
  ],
  ['gateway that is a string', hostGroup('{gateways: ["10.0.0.1:9000"]}'), [{ field: 'spec.gateways[0]', message: 'must be an object, got "10.0.0.1:9000"' }]],
  ['gateways that is not a list', hostGroup('{gateways: {address: 10.0.0.1, port: 9000}}'), [{ field: 'spec.gateways', message: 'must be a list, got an object' }]],
  [
    'unknown gateway field',
    hostGroup('{gateways: [{address: 10.0.0.1, port: 9000, weight: 2}]}'),
    [{ field: 'spec.gateways[0].weight', message: 'unknown field (known: address, port)' }],
  ],
  ['unknown spec field (did you mean)', hostGroup('{gateway: []}'), [{ field: 'spec.gateway', message: 'unknown field; did you mean "gateways"?' }]],
  [
    'healthCheck timeout longer than its interval',
    hostGroup('{gateways: [], healthCheck: {path: /healthz, intervalSeconds: 3, timeoutSeconds: 4}}'),
    [{ field: 'spec.healthCheck.timeoutSeconds', message: 'must not exceed intervalSeconds (3), got 4' }],
  ],
  ['healthCheck without a path', hostGroup('{gateways: [], healthCheck: {intervalSeconds: 5}}'), [{ field: 'spec.healthCheck.path', message: 'required' }]],
  ['healthCheck with a bad path', hostGroup('{gateways: [], healthCheck: {path: healthz}}'), [{ field: 'spec.healthCheck.path', message: 'must start with "/"' }]],
  [
    'healthCheck interval 0',
    hostGroup('{gateways: [], healthCheck: {path: /healthz, intervalSeconds: 0}}'),
    [{ field: 'spec.healthCheck.intervalSeconds', message: 'must be between 1 and 3600, got 0' }],
  ],
  [
    'healthCheck threshold as a string',
    hostGroup('{gateways: [], healthCheck: {path: /healthz, unhealthyThreshold: "3"}}'),
    [{ field: 'spec.healthCheck.unhealthyThreshold', message: 'must be a whole number, got "3"' }],
  ],
  [
    'healthCheck unknown field (did you mean)',
    hostGroup('{gateways: [], healthCheck: {path: /healthz, intervalSecond: 5}}'),
    [{ field: 'spec.healthCheck.intervalSecond', message: 'unknown field; did you mean "intervalSeconds"?' }],
  ],
  [
    'metadata.namespace (HostGroup is cluster-scoped)',
    hostGroup('{gateways: []}', '{name: edge, namespace: default}'),
    [{ field: 'metadata.namespace', message: 'this kind is cluster-scoped (platform-owned); remove metadata.namespace' }],
  ],
  ['spec that is a list', hostGroup('[]'), [{ field: 'spec', message: 'must be an object, got a list' }]],
  [
    'HTTPTrigger apiVersion',
    hostGroup('{gateways: []}', undefined, 'control.cosmonic.io/v1alpha1'),
    [{ field: 'apiVersion', message: 'HostGroup is served as k8s.cosmonic.io/v1alpha1 or triggerway.dev/v1alpha1, got "control.cosmonic.io/v1alpha1"' }],
  ],
];

for (const [label, text, expected] of refused) {
  test(`HostGroup refused: ${label}`, () => {
    assert.deepEqual(issues(text), expected);
  });
}

test('the same address on another port, and another address on the same port, are distinct gateways', () => {
  const decoded = decodeHostGroup(
    hostGroup('{gateways: [{address: 10.0.0.1, port: 9000}, {address: 10.0.0.1, port: 9001}, {address: 10.0.0.2, port: 9000}]}'),
  );
  assert.equal(decoded.spec.gateways.length, 3);
});

test('healthCheck defaults: interval 5 s, timeout 2 s, healthy 1, unhealthy 2', () => {
  const decoded = decodeHostGroup(hostGroup('{gateways: [], healthCheck: {path: /healthz}}'));
  assert.deepEqual(decoded.spec.healthCheck, {
    path: '/healthz',
    intervalSeconds: 5,
    timeoutSeconds: 2,
    healthyThreshold: 1,
    unhealthyThreshold: 2,
  });
});

test('healthCheck values given are kept, and a timeout equal to the interval is allowed', () => {
  const decoded = decodeHostGroup(
    hostGroup('{gateways: [], healthCheck: {path: /ready/, intervalSeconds: 10, timeoutSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 4}}'),
  );
  assert.deepEqual(decoded.spec.healthCheck, {
    path: '/ready/',
    intervalSeconds: 10,
    timeoutSeconds: 10,
    healthyThreshold: 3,
    unhealthyThreshold: 4,
  });
});

test('no healthCheck means none in the decoded spec', () => {
  assert.equal('healthCheck' in decodeHostGroup(hostGroup('{gateways: []}')).spec, false);
});

test('explicit labels are kept next to the implicit hostgroup label', () => {
  const decoded = decodeHostGroup(hostGroup('{gateways: []}', '{name: edge, labels: {zone: eu-west}}'));
  assert.deepEqual(decoded.metadata.labels, { hostgroup: 'edge', zone: 'eu-west' });
});

test('an explicit hostgroup label wins over the implicit one', () => {
  const decoded = decodeHostGroup(hostGroup('{gateways: []}', '{name: edge, labels: {hostgroup: default}}'));
  assert.deepEqual(decoded.metadata.labels, { hostgroup: 'default' });
});

test('spec.replicas is tolerated and ignored', () => {
  const decoded = decodeHostGroup(hostGroup('{replicas: 3, gateways: [{address: 10.0.0.1, port: 9000}]}'));
  assert.deepEqual(decoded.spec, { gateways: [{ address: '10.0.0.1', port: 9000 }] });
});

test('no spec at all, or an empty spec: (null), decodes as a group with no gateways', () => {
  assert.deepEqual(decodeHostGroup(hostGroup(undefined)).spec, { gateways: [] });
  assert.deepEqual(decodeHostGroup(hostGroup('null')).spec, { gateways: [] });
});

test('the default health-check timeout shrinks to fit a 1-second interval', () => {
  const decoded = decodeHostGroup(hostGroup('{gateways: [], healthCheck: {path: /healthz, intervalSeconds: 1}}'));
  assert.equal(decoded.spec.healthCheck?.timeoutSeconds, 1);
});

test('apiVersion triggerway.dev/v1alpha1 is accepted too', () => {
  assert.equal(decodeHostGroup(hostGroup('{gateways: []}', undefined, 'triggerway.dev/v1alpha1')).metadata.name, 'edge');
});
