/** Declared path matches: validation, canonical form, and segment-wise matching (DESIGN.md §3). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchesPath, parsePath, type PathMatch, type PathType } from '../src/model/path-match.js';

const valid: ReadonlyArray<readonly [string, PathType, string]> = [
  ['/api/', 'Prefix', '/api'],
  ['/api/v1/', 'Prefix', '/api/v1'],
  ['/api', 'Prefix', '/api'],
  ['/', 'Prefix', '/'],
  ['/', 'Exact', '/'],
  ['/api/', 'Exact', '/api/'],
  ['/api', 'Exact', '/api'],
  ['/a%20b', 'Prefix', '/a%20b'],
  ['/%C3%A9t%C3%A9', 'Exact', '/%C3%A9t%C3%A9'],
  ['/a:b', 'Prefix', '/a:b'],
  ['/user@host', 'Prefix', '/user@host'],
  ['/~alice', 'Prefix', '/~alice'],
  ["/a!$&'()*+,;=", 'Exact', "/a!$&'()*+,;="],
  ['/.well-known/acme-challenge', 'Prefix', '/.well-known/acme-challenge'],
  ['/a..b/.c/d.', 'Prefix', '/a..b/.c/d.'],
  [`/${'a'.repeat(1023)}`, 'Exact', `/${'a'.repeat(1023)}`],
];

for (const [raw, pathType, expected] of valid) {
  test(`path accepted: ${pathType} ${raw.length > 40 ? `${raw.length} characters` : raw}`, () => {
    assert.deepEqual(parsePath(raw, pathType), { ok: true, path: expected });
  });
}

const NO_QUERY = 'must not contain a query ("?") or fragment ("#")';
const NO_DOUBLE_SLASH = 'must not contain "//" (requests are merged to a single "/" before matching)';
const NO_DOT_SEGMENTS = 'must not contain "." or ".." segments (requests are normalised before matching)';
const NO_ENCODED_SLASH = 'must not contain an encoded "/" or "\\" (%2F, %5C)';
const BAD_ESCAPE = '"%" must start a percent-encoding such as "%20"';
const BAD_CHARS = 'may contain only URL path characters (RFC 3986); percent-encode the rest';

const invalid: ReadonlyArray<readonly [string, string, PathType, string]> = [
  ['no leading "/"', 'api', 'Prefix', 'must start with "/"'],
  ['empty', '', 'Exact', 'must start with "/"'],
  ['query', '/api?x=1', 'Prefix', NO_QUERY],
  ['bare "?"', '/?', 'Exact', NO_QUERY],
  ['fragment', '/api#top', 'Exact', NO_QUERY],
  ['"//" at the start', '//api', 'Prefix', NO_DOUBLE_SLASH],
  ['"//" inside', '/a//b', 'Exact', NO_DOUBLE_SLASH],
  ['"//" at the end of a Prefix', '/api//', 'Prefix', NO_DOUBLE_SLASH],
  ['"." segment', '/a/./b', 'Prefix', NO_DOT_SEGMENTS],
  ['".." segment', '/a/../b', 'Prefix', NO_DOT_SEGMENTS],
  ['leading ".." segment', '/../etc', 'Exact', NO_DOT_SEGMENTS],
  ['trailing "." segment', '/a/.', 'Exact', NO_DOT_SEGMENTS],
  ['lone "/.."', '/..', 'Prefix', NO_DOT_SEGMENTS],
  ['%2F', '/a%2Fb', 'Prefix', NO_ENCODED_SLASH],
  ['%2f', '/a%2fb', 'Prefix', NO_ENCODED_SLASH],
  ['%5c', '/a%5cb', 'Exact', NO_ENCODED_SLASH],
  ['%5C', '/a%5Cb', 'Exact', NO_ENCODED_SLASH],
  ['%zz', '/a%zz', 'Prefix', BAD_ESCAPE],
  ['%4 (one hex digit)', '/a%4', 'Prefix', BAD_ESCAPE],
  ['% at the end', '/a%', 'Exact', BAD_ESCAPE],
  ['space', '/a b', 'Prefix', BAD_CHARS],
  ['tab', '/a\tb', 'Prefix', BAD_CHARS],
  ['backslash', '/a\\b', 'Prefix', BAD_CHARS],
  ['double quote', '/a"b', 'Exact', BAD_CHARS],
  ['angle bracket', '/a<b', 'Exact', BAD_CHARS],
  ['non-ASCII', '/bücher', 'Prefix', BAD_CHARS],
  ['1025 characters', `/${'a'.repeat(1024)}`, 'Prefix', 'must be at most 1024 characters, got 1025'],
];

for (const [encoded, plain] of [['%41', 'A'], ['%7e', '~'], ['%2E', '.'], ['%5F', '_'], ['%30', '0'], ['%2d', '-']] as const) {
  test(`a percent-encoded unreserved character is refused: ${encoded}`, () => {
    const result = parsePath(`/a/${encoded}b`, 'Prefix');
    assert.deepEqual(result, {
      ok: false,
      message: `must not percent-encode "${plain}" (${encoded}): requests are decoded before matching, so write it plainly`,
    });
  });
}

for (const [label, raw, pathType, message] of invalid) {
  test(`path refused: ${label}`, () => {
    assert.deepEqual(parsePath(raw, pathType), { ok: false, message });
  });
}

const prefix = (path: string): PathMatch => ({ pathType: 'Prefix', path });
const exact = (path: string): PathMatch => ({ pathType: 'Exact', path });

const matching: ReadonlyArray<readonly [PathMatch, string, boolean]> = [
  [prefix('/api'), '/api', true],
  [prefix('/api'), '/api/', true],
  [prefix('/api'), '/api/x', true],
  [prefix('/api'), '/api/x/y', true],
  [prefix('/api'), '/apix', false],
  [prefix('/api'), '/ap', false],
  [prefix('/api'), '/API', false],
  [prefix('/api'), '/', false],
  [prefix('/api/v1'), '/api/v10', false],
  [prefix('/api/v1'), '/api/v1/users', true],
  [prefix('/'), '/', true],
  [prefix('/'), '/anything', true],
  [prefix('/'), '/a/b/c', true],
  [exact('/abc'), '/abc', true],
  [exact('/abc'), '/abc/', false],
  [exact('/abc'), '/abcd', false],
  [exact('/abc'), '/abc/x', false],
  [exact('/abc/'), '/abc/', true],
  [exact('/abc/'), '/abc', false],
  [exact('/'), '/', true],
  [exact('/'), '/x', false],
];

for (const [match, requestPath, expected] of matching) {
  test(`${match.pathType} ${match.path} ${expected ? 'matches' : 'does not match'} ${requestPath}`, () => {
    assert.equal(matchesPath(match, requestPath), expected);
  });
}

test('a declared Prefix "/api/" matches exactly what "/api" matches', () => {
  const parsed = parsePath('/api/', 'Prefix');
  assert.ok(parsed.ok);
  const declared = prefix(parsed.path);
  for (const request of ['/api', '/api/', '/api/x']) assert.equal(matchesPath(declared, request), true, request);
  assert.equal(matchesPath(declared, '/apix'), false);
});
