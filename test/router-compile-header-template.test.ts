/** Header values are Envoy substitution formats: text, %% and %REQ(name)% are what the router expands. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { literalValue, parseHeaderValueTemplate } from '../src/router/config/header-template.js';

test('plain text, the empty string and %% are literals', () => {
  assert.deepEqual(parseHeaderValueTemplate('team-a/shop'), { kind: 'literal', value: 'team-a/shop' });
  assert.deepEqual(parseHeaderValueTemplate(''), { kind: 'literal', value: '' });
  assert.deepEqual(parseHeaderValueTemplate('100%%'), { kind: 'literal', value: '100%' });
  assert.deepEqual(parseHeaderValueTemplate('%%REQ(x)%%'), { kind: 'literal', value: '%REQ(x)%' });
});

test('%REQ(name)% reads a request header by its lower-case name; :AUTHORITY is the authority', () => {
  assert.deepEqual(parseHeaderValueTemplate('%REQ(X-Request-Id)%'), { kind: 'request-header', name: 'x-request-id' });
  assert.deepEqual(parseHeaderValueTemplate('%REQ(:AUTHORITY)%'), { kind: 'request-header', name: ':authority' });
});

test('text and commands mix into a concatenation, in order', () => {
  assert.deepEqual(parseHeaderValueTemplate('a-%REQ(x)%-%REQ(y)%%%'), {
    kind: 'concat',
    parts: [
      { kind: 'literal', value: 'a-' },
      { kind: 'request-header', name: 'x' },
      { kind: 'literal', value: '-' },
      { kind: 'request-header', name: 'y' },
      { kind: 'literal', value: '%' },
    ],
  });
});

test('a lone or unterminated "%" and lower-case commands are errors', () => {
  assert.throws(() => parseHeaderValueTemplate('%'), /invalid substitution command at position 0/);
  assert.throws(() => parseHeaderValueTemplate('50% off'), /invalid substitution command at position 2/);
  assert.throws(() => parseHeaderValueTemplate('%req(x)%'), /invalid substitution command/);
  assert.throws(() => parseHeaderValueTemplate('%REQ(x)'), /invalid substitution command/);
  assert.throws(() => parseHeaderValueTemplate('%REQ(x y)%'), /not a valid header name/);
});

test('only literals have a literal value', () => {
  assert.equal(literalValue(parseHeaderValueTemplate('a%%b')), 'a%b');
  assert.equal(literalValue(parseHeaderValueTemplate('%REQ(x)%')), undefined);
  assert.equal(literalValue(parseHeaderValueTemplate('a%REQ(x)%')), undefined);
});
