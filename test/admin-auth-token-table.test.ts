/** Token lookup: exactly the configured tokens match, by secret or by digest, and the table holds no secret. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { tokenDigest, TokenTable } from '../src/admin/auth/token-table.js';
import { parseTokensFile } from '../src/admin/auth/parse-tokens-file.js';
import { PLATFORM_TOKEN, SECRET_MARK, STANDARD_TOKENS, TEAM_A_TOKEN, TEAM_B_TOKEN, tokensYaml } from './helpers/admin-auth-tokens.js';

function standardTable(): TokenTable {
  const parsed = parseTokensFile(tokensYaml(STANDARD_TOKENS), 'tokens.yaml');
  assert.ok(parsed.ok);
  return parsed.table;
}

test('each configured token yields its own grant, the digest-only entry included', () => {
  const table = standardTable();
  assert.equal(table.size, 3);
  assert.deepEqual(
    [PLATFORM_TOKEN, TEAM_A_TOKEN, TEAM_B_TOKEN].map((token) => table.lookup(token)),
    [
      { name: 'platform-ops', scope: { role: 'platform' } },
      { name: 'team-a-ci', scope: { role: 'tenant', namespace: 'team-a' } },
      { name: 'team-b-ci', scope: { role: 'tenant', namespace: 'team-b' } },
    ],
  );
});

const strangers: ReadonlyArray<readonly [string, string]> = [
  ['an unknown token', 'unknown-SECRET-token-0123456789'],
  ['the empty string', ''],
  ['a prefix of a real token', TEAM_A_TOKEN.slice(0, -1)],
  ['a real token with one more character', `${TEAM_A_TOKEN}0`],
  ['a real token differing in the last character', `${TEAM_A_TOKEN.slice(0, -1)}1`],
  ['a real token differing in the first character', `x${PLATFORM_TOKEN.slice(1)}`],
  ['a real token in another case', TEAM_A_TOKEN.toUpperCase()],
  ['a digest-only entry\'s digest presented as the token', tokenDigest(TEAM_B_TOKEN).toString('hex')],
  ['two real tokens joined', `${TEAM_A_TOKEN}${TEAM_B_TOKEN}`],
];

for (const [label, presented] of strangers) {
  test(`no grant for ${label}`, () => {
    assert.equal(standardTable().lookup(presented), undefined);
  });
}

test('an empty table grants nothing', () => {
  assert.equal(new TokenTable([]).lookup(TEAM_A_TOKEN), undefined);
});

test('a grant cannot be altered by the caller it was handed to', () => {
  const grant = standardTable().lookup(TEAM_A_TOKEN)!;
  assert.throws(() => ((grant.scope as { namespace: string }).namespace = 'team-b'), TypeError);
  assert.deepEqual(standardTable().lookup(TEAM_A_TOKEN)?.scope, { role: 'tenant', namespace: 'team-a' });
});

test('inspecting the table shows no token', () => {
  assert.ok(!inspect(standardTable(), { showHidden: true, depth: 10 }).includes(SECRET_MARK));
});

test('a digest of the wrong length is refused when the table is built', () => {
  assert.throws(() => new TokenTable([{ name: 'x', scope: { role: 'platform' }, digest: new Uint8Array(16) }]), /digest must be 32 bytes/);
});
