/** Declared host patterns (DESIGN.md §3): validation, normalisation, and wildcard coverage. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { covers, isBelow, overlaps, parseHostPattern, properSuffixes, wildcardBase } from '../src/model/hostname.js';

const label63 = 'a'.repeat(63);
/** Valid labels only, so the length limit is the one thing wrong with the longer one. */
const name253 = [label63, label63, label63, 'b'.repeat(57), 'com'].join('.');
const name254 = [label63, label63, label63, 'b'.repeat(58), 'com'].join('.');

function accepted(raw: unknown): string {
  const result = parseHostPattern(raw);
  if (!result.ok) assert.fail(`expected ${JSON.stringify(raw)} to be accepted, got: ${result.message}`);
  return result.host;
}

function refused(raw: unknown): string {
  const result = parseHostPattern(raw);
  if (result.ok) assert.fail(`expected ${JSON.stringify(raw)} to be refused, got ${JSON.stringify(result.host)}`);
  return result.message;
}

test('the long test names are built to the intended lengths', () => {
  assert.equal(name253.length, 253);
  assert.equal(name254.length, 254);
  for (const label of name254.split('.')) assert.ok(label.length <= 63);
});

const valid: ReadonlyArray<readonly [string, string, string]> = [
  ['exact name', 'example.com', 'example.com'],
  ['deep exact name', 'a.b.example.com', 'a.b.example.com'],
  ['wildcard with two labels after it', '*.example.com', '*.example.com'],
  ['wildcard with three labels after it', '*.shop.example.com', '*.shop.example.com'],
  ['upper case and one trailing dot', 'Foo.COM.', 'foo.com'],
  ['wildcard, upper case, trailing dot', '*.Team-A.Example.COM.', '*.team-a.example.com'],
  ['A-label IDN', 'xn--bcher-kva.example', 'xn--bcher-kva.example'],
  ['digits and inner hyphens', 'a-1.b--2.example.com', 'a-1.b--2.example.com'],
  ['all-digit label that is not the top-level one', '123.example.com', '123.example.com'],
  ['single-character labels', 'a.b.c', 'a.b.c'],
  ['63-character label', `${label63}.example.com`, `${label63}.example.com`],
  ['253-character name', name253, name253],
  ['253-character name with its trailing dot', `${name253}.`, name253],
];

for (const [label, raw, expected] of valid) {
  test(`host pattern accepted: ${label}`, () => {
    assert.equal(accepted(raw), expected);
  });
}

const WILDCARD_TOO_SHORT = 'a wildcard needs at least two labels after "*." (e.g. "*.example.com")';
const STAR_PLACEMENT = '"*" is only allowed as the whole leftmost label (e.g. "*.example.com")';
const EMPTY_LABEL = 'must not contain an empty label (".." or a leading ".")';
const IP = 'IP addresses are not allowed, only DNS names';
const PORT = 'must not contain a port or ":"; the port is ignored when matching';

const invalid: ReadonlyArray<readonly [string, unknown, string | RegExp]> = [
  ['wildcard with one label after it', '*.com', WILDCARD_TOO_SHORT],
  ['bare *', '*', WILDCARD_TOO_SHORT],
  ['bare * with a trailing dot', '*.', WILDCARD_TOO_SHORT],
  ['two wildcard labels', '*.*.example.com', STAR_PLACEMENT],
  ['wildcard in a middle label', 'a.*.example.com', STAR_PLACEMENT],
  ['wildcard as the last label', 'example.*', STAR_PLACEMENT],
  ['partial-label wildcard', '*foo.example.com', STAR_PLACEMENT],
  ['star inside a label', 'ex*ample.com', STAR_PLACEMENT],
  ['two trailing dots (only one is stripped)', 'foo.com..', EMPTY_LABEL],
  ['empty inner label', 'a..b', EMPTY_LABEL],
  ['leading dot', '.example.com', EMPTY_LABEL],
  ['label starting with "-"', '-a.b', 'label "-a" must not start or end with "-"'],
  ['label ending with "-"', 'a-.b', 'label "a-" must not start or end with "-"'],
  ['underscore', 'my_app.example.com', 'label "my_app" may contain only a-z, 0-9 and "-"'],
  ['64-character label', `${'a'.repeat(64)}.example.com`, `label "${'a'.repeat(20)}..." is 64 characters; at most 63 are allowed`],
  ['254-character name', name254, 'must be at most 253 characters, got 254'],
  ['host with a port', 'host:80', PORT],
  ['name with a port', 'shop.example.com:8443', PORT],
  ['bracketed IPv6 literal', '[::1]', IP],
  ['bare IPv6 literal', '::1', IP],
  ['IPv4 address', '1.2.3.4', IP],
  ['IPv4 address with a trailing dot', '1.2.3.4.', IP],
  ['numeric top-level label', 'example.123', 'the top-level label must not be all digits'],
  ['U-label IDN', 'bücher.example', 'must contain only printable ASCII characters; write IDNs as A-labels, e.g. "xn--bcher-kva.example"'],
  ['U-label IDN under a wildcard', '*.bücher.example', /e\.g\. "\*\.xn--bcher-kva\.example"/],
  ['leading space', ' example.com', /whitespace/],
  ['trailing space', 'example.com ', /whitespace/],
  ['inner space', 'my app.example.com', /whitespace/],
  ['tab', 'example.com\t', /whitespace/],
  ['newline', 'example.com\n', /whitespace/],
  ['empty string', '', 'must not be empty'],
  ['a lone dot', '.', 'must not be empty'],
  ['number', 42, 'must be a string'],
  ['null', null, 'must be a string'],
  ['undefined', undefined, 'must be a string'],
  ['list', ['example.com'], 'must be a string'],
  ['object', { host: 'example.com' }, 'must be a string'],
];

for (const [label, raw, expected] of invalid) {
  test(`host pattern refused: ${label}`, () => {
    const message = refused(raw);
    if (typeof expected === 'string') assert.equal(message, expected);
    else assert.match(message, expected);
  });
}

test('a whitespace-only problem gets no misleading A-label hint', () => {
  assert.doesNotMatch(refused('my app.example.com'), /xn--|A-label/);
});

// [a, b, a covers b, b covers a]; overlap is "either covers the other".
const coverage: ReadonlyArray<readonly [string, string, boolean, boolean]> = [
  ['*.example.com', 'a.example.com', true, false],
  ['*.example.com', 'a.b.example.com', true, false],
  ['*.example.com', 'example.com', false, false],
  ['*.example.com', '*.a.example.com', true, false],
  ['*.example.com', '*.example.com', true, true],
  ['a.example.com', 'a.example.com', true, true],
  ['*.example.com', '*.ample.com', false, false],
  ['a.example.com', 'b.example.com', false, false],
  ['*.example.com', 'xexample.com', false, false],
  ['*.example.com', 'a.xexample.com', false, false],
  ['*.example.com', '*.xexample.com', false, false],
  ['*.a.example.com', 'b.example.com', false, false],
  ['*.a.example.com', 'a.example.com', false, false],
  ['example.com', 'a.example.com', false, false],
];

for (const [a, b, aCoversB, bCoversA] of coverage) {
  test(`covers/overlaps: ${a} vs ${b}`, () => {
    assert.equal(covers(a, b), aCoversB, `covers(${a}, ${b})`);
    assert.equal(covers(b, a), bCoversA, `covers(${b}, ${a})`);
    assert.equal(overlaps(a, b), aCoversB || bCoversA, `overlaps(${a}, ${b})`);
    assert.equal(overlaps(b, a), overlaps(a, b), 'overlaps is symmetric');
  });
}

const below: ReadonlyArray<readonly [string, string, boolean]> = [
  ['a.example.com', 'example.com', true],
  ['a.b.example.com', 'example.com', true],
  ['example.com', 'example.com', false],
  ['xexample.com', 'example.com', false],
  ['.example.com', 'example.com', false],
  ['com', 'example.com', false],
];

for (const [domain, base, expected] of below) {
  test(`isBelow(${JSON.stringify(domain)}, ${JSON.stringify(base)}) is ${expected}`, () => {
    assert.equal(isBelow(domain, base), expected);
  });
}

test('properSuffixes lists every strictly shorter suffix, longest first', () => {
  assert.deepEqual(properSuffixes('a.b.example.com'), ['b.example.com', 'example.com', 'com']);
  assert.deepEqual(properSuffixes('com'), []);
});

test('wildcardBase strips "*." from a wildcard and leaves an exact name alone', () => {
  assert.equal(wildcardBase('*.example.com'), 'example.com');
  assert.equal(wildcardBase('a.example.com'), 'a.example.com');
});
