/** The status page's HTML and CSP, without a browser: what the CSP allows is exactly what the page holds. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { Script } from 'node:vm';
import { STATUS_SECTIONS } from '../src/admin/status-page/status-page-markup.js';
import { statusPageCsp, statusPageHtml } from '../src/admin/status-page/status-page.js';

function inline(tag: string): string[] {
  return [...statusPageHtml().matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1] ?? '');
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

test('the CSP allows exactly the inline script and style by their hashes, and nothing from elsewhere', () => {
  const [script, ...moreScripts] = inline('script');
  const [style, ...moreStyles] = inline('style');
  assert.ok(script !== undefined && style !== undefined);
  assert.deepEqual([moreScripts, moreStyles], [[], []]);
  assert.equal(
    statusPageCsp(),
    `default-src 'none'; script-src ${sha256(script)}; style-src ${sha256(style)}; connect-src 'self'; ` +
      "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  );
});

test('the page is computed once and loads no external asset', () => {
  const html = statusPageHtml();
  assert.equal(statusPageHtml(), html);
  assert.doesNotMatch(html, /\b(src|srcset)=|https?:\/\/|\burl\(|@import/i);
  const links = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(links, ['data:,', ...STATUS_SECTIONS.map(({ id }) => `#${id}`)], 'the empty icon and in-page links only');
  assert.doesNotMatch(html, / style=| on[a-z]+=/i, 'inline attributes would need unsafe-inline');
});

test('the script parses, and never turns data into markup', () => {
  const [script = ''] = inline('script');
  assert.doesNotThrow(() => new Script(script));
  assert.doesNotMatch(script, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
});
