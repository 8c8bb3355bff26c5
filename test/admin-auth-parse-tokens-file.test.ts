/** The `--tokens` file → a token table, or every problem located by field path and never quoting a secret. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTokensFile, type ParsedTokensFile, type TokensFileProblem } from '../src/admin/auth/parse-tokens-file.js';
import { PLATFORM_TOKEN, SECRET_MARK, sha256Hex, STANDARD_TOKENS, TEAM_A_TOKEN, TEAM_B_TOKEN, tokensYaml } from './helpers/admin-auth-tokens.js';

function problems(parsed: ParsedTokensFile): readonly TokensFileProblem[] {
  assert.equal(parsed.ok, false, 'the file should have been refused');
  return parsed.ok ? [] : parsed.errors;
}

/** `field: message` of each problem, after checking each names the file and quotes no secret. */
function located(text: string): string[] {
  const errors = problems(parseTokensFile(text, 'tokens.yaml'));
  for (const error of errors) {
    assert.equal(error.file, 'tokens.yaml');
    assert.ok(!error.message.includes(SECRET_MARK) && !error.field.includes(SECRET_MARK), `quotes a secret: ${error.field}: ${error.message}`);
  }
  return errors.map((error) => `${error.field}: ${error.message}`);
}

const entry = (fields: string): string => `tokens:\n  - ${fields.split('\n').join('\n    ')}\n`;

test('a YAML file grants each token its scope: platform, tenant by namespace, and a tenant given by digest', () => {
  const parsed = parseTokensFile(tokensYaml(STANDARD_TOKENS), 'tokens.yaml');
  assert.ok(parsed.ok);
  assert.equal(parsed.table.size, 3);
  assert.deepEqual(parsed.table.lookup(PLATFORM_TOKEN), { name: 'platform-ops', scope: { role: 'platform' } });
  assert.deepEqual(parsed.table.lookup(TEAM_A_TOKEN), { name: 'team-a-ci', scope: { role: 'tenant', namespace: 'team-a' } });
  assert.deepEqual(parsed.table.lookup(TEAM_B_TOKEN), { name: 'team-b-ci', scope: { role: 'tenant', namespace: 'team-b' } });
});

test('a JSON file is read like YAML, an explicit tenant role is accepted and an upper-case digest too', () => {
  const json = JSON.stringify({ tokens: [{ name: 'a', token: TEAM_A_TOKEN, role: 'tenant', namespace: 'team-a' }, { name: 'b', sha256: sha256Hex(TEAM_B_TOKEN).toUpperCase(), namespace: 'team-b' }] });
  const parsed = parseTokensFile(json, 'tokens.json');
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.table.lookup(TEAM_A_TOKEN)?.scope, { role: 'tenant', namespace: 'team-a' });
  assert.equal(parsed.table.lookup(TEAM_B_TOKEN)?.name, 'b');
});

test('an empty token list is a valid file that admits no one', () => {
  const parsed = parseTokensFile('tokens: []\n', 'tokens.yaml');
  assert.ok(parsed.ok);
  assert.equal(parsed.table.size, 0);
});

const refused: ReadonlyArray<readonly [string, string, readonly RegExp[]]> = [
  ['an empty file', '', [/^tokens: required$/]],
  ['a bare token pasted as the whole file', `${TEAM_A_TOKEN}\n`, [/^: must be a mapping with a "tokens" list, got a string$/]],
  ['tokens given as a string', `tokens: ${TEAM_A_TOKEN}\n`, [/^tokens: must be a list, got a string$/]],
  ['a list item that is a bare token', `tokens:\n  - ${TEAM_A_TOKEN}\n`, [/^tokens\[0\]: must be a mapping .*got a string$/]],
  ['an unknown top-level field', `token:\n  - {name: a, token: ${TEAM_A_TOKEN}, namespace: team-a}\n`, [/^token: unknown field; did you mean "tokens"\?$/, /^tokens: required$/]],
  ['an unknown entry field, with the nearest name', entry(`name: a\ntoken: ${TEAM_A_TOKEN}\nnamspace: team-a`), [/^tokens\[0\]\.namspace: unknown field; did you mean "namespace"\?$/, /^tokens\[0\]\.namespace: required/]],
  ['a token written as a key', `tokens:\n  - ${TEAM_A_TOKEN}: team-a\n`, [/^tokens\[0\]: unknown field with a 34-character name, not shown in case it is a token \(known: name, token, sha256, role, namespace\)$/, /^tokens\[0\]\.name: required$/, /^tokens\[0\]\.token: required/, /^tokens\[0\]\.namespace: required/]],
  ['neither token nor sha256', entry('name: a\nnamespace: team-a'), [/^tokens\[0\]\.token: required: set token, or sha256/]],
  ['both token and sha256', entry(`name: a\ntoken: ${TEAM_A_TOKEN}\nsha256: ${sha256Hex(TEAM_A_TOKEN)}\nnamespace: team-a`), [/^tokens\[0\]\.sha256: token and sha256 are alternatives; set only one$/]],
  ['a platform token with a namespace', entry(`name: a\ntoken: ${PLATFORM_TOKEN}\nrole: platform\nnamespace: team-a`), [/^tokens\[0\]\.namespace: must not be set for a platform token/]],
  ['a tenant role without a namespace', entry(`name: a\ntoken: ${TEAM_A_TOKEN}\nrole: tenant`), [/^tokens\[0\]\.namespace: required for a tenant token$/]],
  ['neither role nor namespace', entry(`name: a\ntoken: ${TEAM_A_TOKEN}`), [/^tokens\[0\]\.namespace: required: a tenant token is bound to one namespace \(or set role: platform\)$/]],
  ['an unknown role', entry(`name: a\ntoken: ${TEAM_A_TOKEN}\nrole: admin`), [/^tokens\[0\]\.role: must be "platform" or "tenant", got "admin"$/]],
  ['a namespace that is not a DNS label', entry(`name: a\ntoken: ${TEAM_A_TOKEN}\nnamespace: Team_A`), [/^tokens\[0\]\.namespace: must consist of lower-case letters/]],
  ['no name', entry(`token: ${TEAM_A_TOKEN}\nnamespace: team-a`), [/^tokens\[0\]\.name: required$/]],
  ['a name that is not a DNS subdomain', entry(`name: Team A\ntoken: ${TEAM_A_TOKEN}\nnamespace: team-a`), [/^tokens\[0\]\.name: must consist of lower-case letters/]],
  ['a token that is a number', entry('name: a\ntoken: 12345678901234567890\nnamespace: team-a'), [/^tokens\[0\]\.token: must be a string, got a number$/]],
  ['a token with a space', entry(`name: a\ntoken: "teamA ${SECRET_MARK}-fedcba9876543210"\nnamespace: team-a`), [/^tokens\[0\]\.token: must not contain whitespace or control characters/]],
  ['a token with a control character', entry(`name: a\ntoken: "teamA-${SECRET_MARK}\\u0007-fedcba9876543210"\nnamespace: team-a`), [/^tokens\[0\]\.token: must not contain whitespace or control characters/]],
  ['a token in a "|" block, which keeps the final newline', entry(`name: a\nnamespace: team-a\ntoken: |\n  ${TEAM_A_TOKEN}`), [/^tokens\[0\]\.token: must not contain whitespace .*use "\|-" or quotes/]],
  ['a token with a character a Bearer header cannot carry', entry(`name: a\ntoken: "teamA-${SECRET_MARK}-fedcba$9876543210"\nnamespace: team-a`), [/^tokens\[0\]\.token: may hold only letters, digits and "-\._~\+\/"/]],
  ['a token shorter than 16 characters', entry('name: a\ntoken: short-secret\nnamespace: team-a'), [/^tokens\[0\]\.token: must be at least 16 characters long$/]],
  ['a digest that is not 64 hex digits', entry(`name: a\nsha256: ${sha256Hex(TEAM_A_TOKEN).slice(1)}\nnamespace: team-a`), [/^tokens\[0\]\.sha256: must be 64 hexadecimal digits/]],
  ['a digest given as a token', entry(`name: a\nsha256: ${TEAM_A_TOKEN}${TEAM_A_TOKEN}\nnamespace: team-a`), [/^tokens\[0\]\.sha256: must be 64 hexadecimal digits/]],
  ['a duplicate key', `tokens: []\ntokens: []\n`, [/^: syntax error at line 2, column 1: Map keys must be unique$/]],
  ['two documents', `tokens: []\n---\ntokens: []\n`, [/^: syntax error at line \d+, column \d+: one document expected, found several$/]],
  ['a syntax error on the line of a token', `tokens:\n  - {name: a, token: ${TEAM_A_TOKEN}, namespace: [team-a}\n`, [/^: syntax error at line 2, column \d+: /]],
  ['an unknown tag, which YAML only warns about, on a short token', entry(`name: a\ntoken: !${TEAM_A_TOKEN} x\nnamespace: team-a`), [/^tokens\[0\]\.token: must be at least 16 characters long$/]],
  ['a bad escape inside a token', entry(`name: a\ntoken: "teamA-${SECRET_MARK}\\q-fedcba9876543210"\nnamespace: team-a`), [/^: syntax error at line 3, column \d+: Invalid escape sequence …$/]],
];

for (const [label, text, expected] of refused) {
  test(`refused, located, no secret quoted: ${label}`, () => {
    const errors = located(text);
    assert.equal(errors.length, expected.length, errors.join('\n'));
    expected.forEach((pattern, index) => assert.match(errors[index]!, pattern));
  });
}

test('duplicate names and duplicate secrets are refused, also a token repeated as its digest', () => {
  const text = tokensYaml([
    { name: 'a', token: TEAM_A_TOKEN, namespace: 'team-a' },
    { name: 'a', token: TEAM_B_TOKEN, namespace: 'team-b' },
    { name: 'c', token: TEAM_A_TOKEN, namespace: 'team-c' },
    { name: 'd', sha256: sha256Hex(TEAM_B_TOKEN), role: 'platform' },
  ]);
  assert.deepEqual(located(text), [
    'tokens[1].name: duplicate of tokens[0].name: audit logs and metrics tell tokens apart by name',
    'tokens[2].token: the same secret as tokens[0].token: every token must be different',
    'tokens[3].sha256: the same secret as tokens[1].token: every token must be different',
  ]);
});

test('one pass reports every problem of every entry, each at its own index', () => {
  const text = tokensYaml([
    { name: 'ok', token: PLATFORM_TOKEN, role: 'platform' },
    { name: 'x', token: 'too-short', namespace: 'Team' },
    { name: 'y', token: TEAM_B_TOKEN, role: 'platform', namespace: 'team-b' },
  ]);
  assert.deepEqual(
    located(text).map((line) => line.split(':')[0]),
    ['tokens[1].token', 'tokens[1].namespace', 'tokens[2].namespace'],
  );
});

test('a file over 1 MiB is refused before it is parsed', () => {
  assert.deepEqual(located(`# ${'x'.repeat(1024 * 1024)}\ntokens: []\n`), [': larger than 1 MiB']);
});
