/**
 * Browser-side renderers of the status page, one per section, from a `StatusView`
 * (src/admin/api/api-types.ts). Each returns a node for the section's body; `render` unhides
 * the sections the view has, so a tenant's view shows no data-plane, tenant or manifest-error
 * sections at all. Uses the helpers of status-page-script-dom.ts.
 */
export const RENDER_SCRIPT = String.raw`
function triggerName(trigger) {
  return trigger.namespace + '/' + trigger.name;
}

// PartiallyInvalid is the one condition that is good when False.
function conditionKind(condition) {
  const good = condition.type === 'PartiallyInvalid' ? condition.status === 'False' : condition.status === 'True';
  return good ? 'ok' : 'bad';
}

function isAccepted(trigger) {
  return trigger.conditions.some((c) => c.type === 'Accepted' && c.status === 'True');
}

function renderSummary(view) {
  const snapshot = view.snapshot;
  const rejected = view.triggers.filter((t) => t.rejections.length > 0).length;
  const entries = [
    ['Scope', view.scope.role === 'platform' ? 'platform (everything)' : 'tenant ' + view.scope.namespace],
    ['Snapshot version', snapshot ? code(snapshot.version) : muted('none built yet')],
    ['Route table version', snapshot ? code(snapshot.tableVersion) : muted('none')],
    ['Built at', snapshot ? when(snapshot.builtAt) : muted('never')],
    ['Triggers', view.triggers.length + ' (' + rejected + ' with rejections)'],
    ['Hosts', String(view.hosts.length)],
  ];
  if (view.tenants) entries.push(['Tenants', String(view.tenants.length)]);
  if (view.dataPlanes) {
    const connected = view.dataPlanes.filter((p) => p.connected).length;
    entries.push(['Data planes', connected + ' connected of ' + view.dataPlanes.length]);
  }
  if (view.manifestErrors) entries.push(['Manifest errors', String(view.manifestErrors.length)]);
  return pairs('summary', entries);
}

// An absent restriction means "anything goes"; an empty list allows nothing.
function allowed(values) {
  return values === undefined ? muted('any (no restriction)') : list(values.map(code), 'none allowed');
}

function renderTenants(view, labelId) {
  if (view.tenants.length === 0) return muted('No tenants are defined: every namespace is unrestricted.');
  return table(labelId, ['Tenant', 'Triggers', 'Allowed hostnames', 'Host groups'], view.tenants.map((t) => [
    t.name,
    t.maxTriggers === undefined ? String(t.triggers) : t.triggers + ' of at most ' + t.maxTriggers,
    allowed(t.hostnames),
    allowed(t.hostGroups),
  ]));
}

function renderHosts(view, labelId) {
  if (view.hosts.length === 0) return muted('No hosts are routed.');
  return table(labelId, ['Host', 'Owner', 'Triggers'], view.hosts.map((host) =>
    [code(host.host), host.namespace, list(host.triggers, 'none')]));
}

function conditionItem(condition) {
  return h('li', { class: conditionKind(condition), title: condition.message || undefined }, [
    badge(conditionKind(condition), condition.type + ': ' + condition.status),
    h('span', { class: 'reason' }, condition.reason),
    condition.message ? h('span', { class: 'message' }, condition.message) : null,
  ]);
}

function origin(source) {
  return source.kind === 'file' ? ['file ', code(source.file)] : 'API';
}

function renderTriggers(view, labelId) {
  if (view.triggers.length === 0) return muted('No triggers.');
  return table(labelId, ['Trigger', 'Origin', 'Hosts', 'Routes', 'Conditions'], view.triggers.map((t) => [
    triggerName(t), origin(t.origin), list(t.hosts.map(code), 'none'), String(t.routes),
    h('ul', { class: 'plain' }, t.conditions.map(conditionItem)),
  ]));
}

// One row per rejection: what operators come to the page for, so all of it is visible text.
function renderRejected(view, labelId) {
  const rows = [];
  for (const t of view.triggers) {
    const effect = isAccepted(t) ? badge('warn', 'Partly: the rest is routed') : badge('bad', 'Not accepted');
    for (const r of t.rejections) {
      rows.push([triggerName(t), effect, h('strong', null, r.reason), code(r.field), h('span', { class: 'alert' }, r.message)]);
    }
  }
  if (rows.length === 0) return muted('No rejected triggers.');
  return table(labelId, ['Trigger', 'Effect', 'Reason', 'Field', 'Message'], rows);
}

function acked(versions) {
  const types = Object.keys(versions).sort();
  return types.length === 0 ? muted('nothing yet') : pairs('pairs', types.map((type) => [type, code(versions[type])]));
}

function lastNack(nack) {
  if (!nack) return muted('none');
  return h('div', { class: 'bad' }, [
    badge('bad', 'NACK ' + nack.type + ' version ' + nack.version), ' at ', when(nack.at),
    h('span', { class: 'alert' }, nack.message),
  ]);
}

function renderDataPlanes(view, labelId) {
  if (view.dataPlanes.length === 0) return muted('No data plane has connected.');
  return table(labelId, ['Node', 'Cluster', 'Connection', 'Streams', 'ACKed versions', 'Last NACK'], view.dataPlanes.map((p) => [
    p.nodeId, p.cluster, p.connected ? badge('ok', 'Connected') : badge('bad', 'Disconnected'),
    list(p.streams.map(code), 'none'), acked(p.acked), lastNack(p.lastNack),
  ]));
}

function renderManifestErrors(view, labelId) {
  if (view.manifestErrors.length === 0) return muted('No manifest errors.');
  return table(labelId, ['File', 'Document', 'Field', 'Message'], view.manifestErrors.map((e) =>
    [code(e.file), String(e.doc), code(e.field), h('span', { class: 'alert' }, e.message)]));
}

// [section id, renderer, whether the view has it]: ids match status-page-markup.ts.
const SECTIONS = [
  ['summary', renderSummary, () => true],
  ['tenants', renderTenants, (view) => view.tenants !== undefined],
  ['hosts', renderHosts, () => true],
  ['triggers', renderTriggers, () => true],
  ['rejected', renderRejected, () => true],
  ['data-planes', renderDataPlanes, (view) => view.dataPlanes !== undefined],
  ['manifest-errors', renderManifestErrors, (view) => view.manifestErrors !== undefined],
];

// view undefined: hide everything (one token's data is never left showing under another).
// Every section is drawn before any is replaced, so a view the page cannot draw throws
// with the last good data still on screen.
function render(view) {
  const drawn = SECTIONS.map(([id, draw, has]) => [id, view !== undefined && has(view) ? draw(view, id + '-heading') : null]);
  for (const [id, body] of drawn) {
    const section = document.getElementById(id);
    section.querySelector('.body').replaceChildren(body === null ? '' : body);
    section.hidden = body === null;
    document.querySelector('nav [data-section="' + id + '"]').hidden = body === null;
  }
}
`;
