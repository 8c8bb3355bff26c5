/** The host a request is routed by (Host or absolute-form authority): normalised, or a 400 reason. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequestAuthority } from '../src/router/routing/request-authority.js';
import { parseAbsoluteForm } from '../src/router/routing/request-target.js';

const host = (value: string, stripTrailingHostDot = true) => {
  const result = parseRequestAuthority(value, stripTrailingHostDot);
  assert.ok('host' in result, `${JSON.stringify(value)}: ${JSON.stringify(result)}`);
  return result.host;
};
const error = (value: string) => {
  const result = parseRequestAuthority(value);
  assert.ok('error' in result, `${JSON.stringify(value)} was accepted as ${JSON.stringify(result)}`);
  return result.error;
};

test('the port is dropped, ASCII case folded and one trailing dot stripped', () => {
  assert.equal(host('shop.example.com'), 'shop.example.com');
  assert.equal(host('Shop.EXAMPLE.com:8080'), 'shop.example.com');
  assert.equal(host('shop.example.com.'), 'shop.example.com');
  assert.equal(host('shop.example.com.:443'), 'shop.example.com');
  assert.equal(host('shop.example.com.', false), 'shop.example.com.');
  assert.equal(host('shop.example.com:'), 'shop.example.com');
  assert.equal(host('127.0.0.1:80'), '127.0.0.1');
  assert.equal(host("a-b_c~!$&'()*+,;=%41.example"), "a-b_c~!$&'()*+,;=%41.example");
});

test('IPv6 literals keep their brackets', () => {
  assert.equal(host('[::1]'), '[::1]');
  assert.equal(host('[FE80::1%25eth0]:8080'), '[fe80::1%25eth0]');
});

test('malformed hosts are refused with a short reason', () => {
  assert.match(error(''), /empty/);
  assert.match(error('.'), /empty/);
  assert.match(error(':80'), /empty/);
  assert.match(error('a..example.com'), /"\.\."/);
  assert.match(error('a b.com'), /character/);
  assert.match(error('a/b.com'), /character/);
  assert.match(error('user@shop.com'), /character/);
  assert.match(error('caf\u00e9.com'), /character/);
  assert.match(error('a\u0000.com'), /character/);
  assert.match(error('a%zz.com'), /percent-encoding/);
  assert.match(error('shop.com:99999'), /port/);
  assert.match(error('shop.com:000080'), /port/);
  assert.match(error('shop.com:8x'), /port/);
  assert.match(error('::1'), /port/);
  assert.match(error('[::1'), /closing "\]"/);
  assert.match(error('[::1]x'), /character/);
  assert.match(error('[::1 ]'), /character/);
  assert.match(error('[]'), /empty/);
});

test('a reason never echoes the input', () => {
  const huge = `${'a'.repeat(100_000)} `;
  assert.ok(error(huge).length < 100);
});

test('an absolute-form target gives its authority and path; "/" when it has none', () => {
  assert.deepEqual(parseAbsoluteForm('http://Shop.example.com:8080/a/b?c=d'), { authority: 'Shop.example.com:8080', path: '/a/b?c=d' });
  assert.deepEqual(parseAbsoluteForm('HTTPS://shop.example.com'), { authority: 'shop.example.com', path: '/' });
  assert.deepEqual(parseAbsoluteForm('http://shop.example.com?x=1'), { authority: 'shop.example.com', path: '/?x=1' });
  assert.deepEqual(parseAbsoluteForm('http://[::1]:80/'), { authority: '[::1]:80', path: '/' });
});

test('targets that are neither a path nor an http(s) URL are refused', () => {
  assert.deepEqual(parseAbsoluteForm('*'), { error: 'the request target is not a path', status: 404 });
  for (const target of ['ftp://shop.example.com/', 'shop.example.com:443', 'http://', 'http:///a', 'http://user:pw@shop.example.com/', 'a/b']) {
    const result = parseAbsoluteForm(target);
    assert.ok('error' in result && result.status === 400, `${target}: ${JSON.stringify(result)}`);
  }
});
