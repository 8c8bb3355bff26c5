/**
 * Browser-side DOM helpers of the status page (plain JavaScript, inlined by status-page.ts).
 * Everything the API returns is tenant-controlled (names, hosts, messages), so data only
 * ever becomes text nodes and attribute values: these helpers have no way to make markup.
 * The code avoids backticks and dollar-brace so it can live in a template string.
 */
export const DOM_SCRIPT = String.raw`
// h('td', { class: 'x', title: t }, children): an element; children are nodes or strings
// (strings become text nodes). Attribute names are always the page's own, never data.
function h(tag, attributes, children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  if (children === undefined || children === null || children === false) return;
  if (Array.isArray(children)) {
    for (const child of children) append(node, child);
    return;
  }
  node.append(typeof children === 'string' || typeof children === 'number' ? String(children) : children);
}

function muted(text) {
  return h('span', { class: 'muted' }, text);
}

// A state badge: a symbol and a word as well as a colour, so it reads in any colour scheme.
const SYMBOLS = { ok: '✓', warn: '!', bad: '✗' };
function badge(kind, text) {
  return h('span', { class: 'badge ' + kind }, SYMBOLS[kind] + ' ' + text);
}

function code(text) {
  return h('code', null, text);
}

function when(iso) {
  return h('time', { datetime: iso }, iso);
}

function list(items, empty) {
  if (items.length === 0) return muted(empty);
  return h('ul', { class: 'plain' }, items.map((item) => h('li', null, item)));
}

// A table whose first cell in each row heads that row; labelled by its section's heading.
function table(labelId, headers, rows) {
  return h('table', { 'aria-labelledby': labelId }, [
    h('thead', null, h('tr', null, headers.map((header) => h('th', { scope: 'col' }, header)))),
    h('tbody', null, rows.map((cells) =>
      h('tr', null, cells.map((cell, i) => (i === 0 ? h('th', { scope: 'row' }, cell) : h('td', null, cell)))))),
  ]);
}

// Name/value pairs: the summary, and the versions a data plane ACKed.
function pairs(className, entries) {
  return h('dl', { class: className }, entries.map(([name, value]) => h('div', null, [h('dt', null, name), h('dd', null, value)])));
}
`;
