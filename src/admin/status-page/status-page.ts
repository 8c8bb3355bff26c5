/**
 * `GET /` on the admin listener: one self-contained HTML page (no external assets) showing the
 * status from `GET /v1/status` on the same origin, refreshed live. Its only script and style
 * are inline and allowed by their hashes, so the page runs under a CSP that allows nothing
 * else: data rendered wrongly could still not run script or load anything.
 */
import { createHash } from 'node:crypto';
import { STATUS_PAGE_BODY } from './status-page-markup.js';
import { STATUS_PAGE_SCRIPT } from './status-page-script.js';
import { STATUS_PAGE_STYLE } from './status-page-style.js';

interface StatusPage {
  readonly html: string;
  readonly csp: string;
}

let page: StatusPage | undefined;

/** The CSP hash source of an inline element's text: the hash covers its exact UTF-8 bytes. */
function hashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function build(): StatusPage {
  // A closing tag inside the text would end the element early and break its hash.
  if (/<\/script/i.test(STATUS_PAGE_SCRIPT)) throw new Error('status page script contains </script');
  if (/<\/style/i.test(STATUS_PAGE_STYLE)) throw new Error('status page style contains </style');
  // The empty data: icon keeps the browser from asking for /favicon.ico.
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>triggerway status</title>
<link rel="icon" href="data:,">
<style>${STATUS_PAGE_STYLE}</style>
</head>
<body>
${STATUS_PAGE_BODY}<script>${STATUS_PAGE_SCRIPT}</script>
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    `script-src ${hashSource(STATUS_PAGE_SCRIPT)}`,
    `style-src ${hashSource(STATUS_PAGE_STYLE)}`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}

/** The page, computed once. Serve it as `text/html; charset=utf-8` with `statusPageCsp()`. */
export function statusPageHtml(): string {
  return (page ??= build()).html;
}

/** The Content-Security-Policy header value that `statusPageHtml()` is written to run under. */
export function statusPageCsp(): string {
  return (page ??= build()).csp;
}
