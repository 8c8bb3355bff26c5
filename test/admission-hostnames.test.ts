/** Hostile and malformed hosts are refused by admission with InvalidHostname, located. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admitTriggers, condition, owners, statusOf } from './helpers/admission.js';
import { trigger } from './helpers/build-manifests.js';

const label63 = 'a'.repeat(63);
const name253 = [label63, label63, label63, 'b'.repeat(57), 'com'].join('.'); // 63*3 + 57 + 3 + 4 dots = 253

const hostile: ReadonlyArray<readonly [string, string, RegExp]> = [
  ['bare *', '*', /at least two labels/],
  ['*.com', '*.com', /at least two labels/],
  ['a..b', 'a..b.example.com', /empty label/],
  ['-a.b', '-a.example.com', /must not start or end with "-"/],
  ['label ending in -', 'a-.example.com', /must not start or end with "-"/],
  ['64-character label', `${'a'.repeat(64)}.example.com`, /64 characters; at most 63/],
  ['254-character name', `a${name253}`, /at most 253 characters, got 254/],
  ['host:80', 'host.example.com:80', /port/],
  ['IPv4 address', '1.2.3.4', /IP addresses are not allowed/],
  ['IPv6 address', '[::1]', /IP addresses are not allowed/],
  ['unicode', 'bücher.example', /A-labels, e\.g\. "xn--bcher-kva\.example"/],
  ['*.*.example.com', '*.*.example.com', /only allowed as the whole leftmost label/],
  ['a.*.example.com', 'a.*.example.com', /only allowed as the whole leftmost label/],
  ['partial-label wildcard', '*shop.example.com', /only allowed as the whole leftmost label/],
  ['empty', '', /must not be empty/],
  ['only a dot', '.', /must not be empty/],
  ['two trailing dots', 'example.com..', /empty label/],
  ['underscore', 'my_app.example.com', /only a-z, 0-9 and "-"/],
  ['space', 'my app.example.com', /must not contain whitespace/],
  ['numeric top-level label', 'example.123', /all digits/],
];

for (const [label, host, message] of hostile) {
  test(`hostile host refused: ${label}`, () => {
    const result = admitTriggers([trigger('team-a/bad', host, { created: 1 })]);
    const status = statusOf(result, 'team-a/bad');
    assert.equal(status.rejections.length, 1);
    assert.equal(status.rejections[0]!.reason, 'InvalidHostname');
    assert.equal(status.rejections[0]!.field, 'spec.ingress.host');
    assert.match(status.rejections[0]!.message, message);
    assert.equal(condition(status, 'Accepted')?.reason, 'InvalidHostname');
    assert.deepEqual(result.table.hosts, []);
  });
}

test('a 63-character label and a 253-character name are accepted', () => {
  const result = admitTriggers([trigger('team-a/long', [`${label63}.example.com`, name253], { created: 1 })]);
  assert.deepEqual(statusOf(result, 'team-a/long').rejections, []);
  assert.equal(result.table.hosts.length, 2);
});

test('Foo.COM. is normalised to foo.com', () => {
  const result = admitTriggers([trigger('team-a/shop', 'Foo.COM.', { created: 1 })]);
  assert.deepEqual(owners(result), { 'foo.com': 'team-a' });
  assert.deepEqual(statusOf(result, 'team-a/shop').hosts, ['foo.com']);
});

test('an A-label IDN is accepted as written', () => {
  const result = admitTriggers([trigger('team-a/idn', 'xn--bcher-kva.example', { created: 1 })]);
  assert.deepEqual(owners(result), { 'xn--bcher-kva.example': 'team-a' });
});

test('one invalid alias among valid hosts leaves the trigger PartiallyInvalid', () => {
  const result = admitTriggers([trigger('team-a/mixed', ['shop.example.com', 'bad..example.com', '*.example.com'], { created: 1 })]);
  const status = statusOf(result, 'team-a/mixed');
  assert.deepEqual(status.hosts, ['shop.example.com', '*.example.com']);
  assert.equal(condition(status, 'Accepted')?.status, 'True');
  assert.equal(condition(status, 'PartiallyInvalid')?.reason, 'InvalidHostname');
  assert.equal(status.rejections[0]!.field, 'spec.ingress.hosts[1]');
});

test('a host that differs only in case from another tenant’s is the same host', () => {
  const result = admitTriggers([trigger('team-a/shop', 'shop.example.com', { created: 1 }), trigger('team-b/shop', 'SHOP.example.com', { created: 2 })]);
  assert.deepEqual(owners(result), { 'shop.example.com': 'team-a' });
  assert.equal(statusOf(result, 'team-b/shop').rejections[0]!.reason, 'HostnameConflict');
});
