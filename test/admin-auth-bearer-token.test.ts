/** `Authorization: Bearer <token>` per RFC 6750; anything else carries no token. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearerToken } from '../src/admin/auth/bearer-token.js';

const TOKEN = 'teamA-SECRETvalue-fedcba9876543210';

const accepted: ReadonlyArray<readonly [string, string, string]> = [
  ['the canonical form', `Bearer ${TOKEN}`, TOKEN],
  ['the scheme in lower case', `bearer ${TOKEN}`, TOKEN],
  ['the scheme in mixed case', `bEaReR ${TOKEN}`, TOKEN],
  ['several spaces after the scheme', `Bearer   ${TOKEN}`, TOKEN],
  ['every b64token character and "=" padding', 'Bearer aZ09-._~+/==', 'aZ09-._~+/=='],
];

for (const [label, header, token] of accepted) {
  test(`a Bearer token is taken: ${label}`, () => {
    assert.equal(bearerToken(header), token);
  });
}

const refused: ReadonlyArray<readonly [string, string | undefined]> = [
  ['no header', undefined],
  ['an empty header', ''],
  ['the scheme alone', 'Bearer'],
  ['the scheme and a space', 'Bearer '],
  ['another scheme', `Basic ${TOKEN}`],
  ['the token without a scheme', TOKEN],
  ['two credentials', `Bearer ${TOKEN} ${TOKEN}`],
  ['a trailing space', `Bearer ${TOKEN} `],
  ['a leading space', ` Bearer ${TOKEN}`],
  ['a tab instead of a space', `Bearer\t${TOKEN}`],
  ['no space after the scheme', `Bearer${TOKEN}`],
  ['a comma-joined second credential', `Bearer ${TOKEN},Bearer ${TOKEN}`],
  ['"=" inside the token', 'Bearer abc=def'],
  ['a character outside b64token', 'Bearer abc$def'],
  ['a quoted token', `Bearer "${TOKEN}"`],
  ['a non-ASCII token', 'Bearer tökén'],
  ['a scheme that only starts with Bearer', `BearerX ${TOKEN}`],
];

for (const [label, header] of refused) {
  test(`no token: ${label}`, () => {
    assert.equal(bearerToken(header), undefined);
  });
}
