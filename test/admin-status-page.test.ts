/**
 * The status page in headless Chromium, served under its own CSP beside a fixture
 * `GET /v1/status`: what an operator sees, how the token works, that tenant-controlled
 * strings stay text, and that the page follows changes live.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import { test, type TestContext } from 'node:test';
import type { StatusHost, StatusTrigger, StatusView } from '../src/admin/api/api-types.js';
import { statusPageCsp, statusPageHtml } from '../src/admin/status-page/status-page.js';
import type { Condition } from '../src/admission/types.js';
import { openStatusPage as open, screenshot, useToken, visible } from './helpers/status-page-browser.js';
import { onTestEnd } from './helpers/tmp-dir.js';

const PLATFORM_TOKEN = 'platform-fixture-token';
const TENANT_TOKEN = 'team-b-fixture-token';
const XSS = '<img src=x onerror=window.__xss=1>';
const CONFLICT = 'host "status.apps.example.com" is owned by namespace "team-a"';
const NACK = 'route_config "edge": duplicate domain "status.apps.example.com" in virtual hosts';

const condition = (type: Condition['type'], status: Condition['status'], reason: string, message = ''): Condition => ({
  type, status, reason, message,
});
const ADMITTED = [
  condition('Accepted', 'True', 'Accepted'),
  condition('ResolvedRefs', 'True', 'ResolvedRefs'),
  condition('Programmed', 'True', 'Programmed', 'in snapshot 7'),
];

function trigger(id: string, hosts: string[], extra: Partial<StatusTrigger> = {}): StatusTrigger {
  const [namespace = '', name = ''] = id.split('/');
  const origin = { kind: 'file', file: `examples/${namespace}/${name}.yaml` } as const;
  return { namespace, name, origin, hosts, routes: hosts.length, conditions: ADMITTED, rejections: [], ...extra };
}

/** team-b/status-copy asks for team-a's host: refused while `conflict`, renamed to its own host after. */
function triggers(conflict: boolean): StatusTrigger[] {
  const copy = conflict
    ? trigger('team-b/status-copy', [], {
        conditions: [condition('Accepted', 'False', 'HostnameConflict', CONFLICT), condition('Programmed', 'False', 'NotAccepted')],
        rejections: [{ reason: 'HostnameConflict', field: 'spec.ingress.host', message: CONFLICT }],
      })
    : trigger('team-b/status-copy', ['status-b.apps.example.com']);
  const xss = trigger(`team-b/${XSS}`, ['xss.apps.example.com'], {
    origin: { kind: 'api' },
    conditions: [condition('Accepted', 'True', 'Accepted', `admitted ${XSS}`)],
  });
  return [trigger('team-a/status', ['status.apps.example.com', 'www.apps.example.com']), copy, xss];
}

function hosts(of: readonly StatusTrigger[]): StatusHost[] {
  return of.flatMap((t) => t.hosts.map((host) => ({ host, namespace: t.namespace, triggers: [`${t.namespace}/${t.name}`] })));
}

function platformView(conflict: boolean): StatusView {
  const all = triggers(conflict);
  return {
    scope: { role: 'platform' },
    snapshot: { version: '7', tableVersion: '5f0c2a9e41d3', builtAt: '2026-01-10T09:00:00.000Z' },
    triggers: all,
    hosts: hosts(all),
    tenants: [
      { name: 'team-a', hostnames: ['*.apps.example.com'], hostGroups: ['default'], maxTriggers: 10, triggers: 1 },
      { name: 'team-b', triggers: 2 },
    ],
    dataPlanes: [
      {
        nodeId: 'edge-1', cluster: 'edge', connected: true, streams: ['ads-delta'],
        acked: { cds: '7', eds: '7', lds: '7', rds: '6' },
        lastNack: { type: 'rds', version: '7', message: NACK, at: '2026-01-10T09:00:01.000Z' },
      },
      { nodeId: 'edge-2', cluster: 'edge', connected: false, streams: [], acked: {} },
    ],
    manifestErrors: [{ file: 'examples/broken.yaml', doc: 2, field: 'spec.ingress.paths[1].pathType', message: 'must be Prefix or Exact, got "prefix"' }],
  };
}

function tenantView(): StatusView {
  const own = triggers(true).filter((t) => t.namespace === 'team-b');
  const { snapshot } = platformView(true);
  return { scope: { role: 'tenant', namespace: 'team-b' }, ...(snapshot && { snapshot }), triggers: own, hosts: hosts(own) };
}

interface Fixture {
  platform: StatusView;
  tenant: StatusView;
  /** Drop every connection, as an admin listener that went away would. */
  down: boolean;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The page at `/` with its CSP, and the fixture at `/v1/status` behind bearer tokens. */
async function serve(t: TestContext, fixture: Fixture): Promise<string> {
  const server = createServer((req, res) => {
    if (fixture.down) return void req.socket.destroy();
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': statusPageCsp() });
      return void res.end(statusPageHtml());
    }
    if (req.url !== '/v1/status') return json(res, 404, { error: { code: 'NotFound', message: 'not found' } });
    const views = new Map([[`Bearer ${PLATFORM_TOKEN}`, fixture.platform], [`Bearer ${TENANT_TOKEN}`, fixture.tenant]]);
    const view = views.get(req.headers.authorization ?? '');
    if (view === undefined) return json(res, 401, { error: { code: 'Unauthorized', message: 'a valid admin token is required' } });
    json(res, 200, view);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestEnd(t, () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return `http://127.0.0.1:${address.port}`;
}

test('an operator sees why a trigger was rejected and a NACK, data stays text, and the page follows changes live', async (t) => {
  const fixture: Fixture = { platform: platformView(true), tenant: tenantView(), down: false };
  const { page, problems } = await open(t, await serve(t, fixture));
  const banner = page.locator('#banner');
  await visible(banner.getByText('(HTTP 401: a valid admin token is required)'));

  await useToken(page, PLATFORM_TOKEN);
  const rejected = page.locator('#rejected');
  for (const text of ['team-b/status-copy', '✗ Not accepted', 'HostnameConflict', 'spec.ingress.host', CONFLICT]) {
    await visible(rejected.getByText(text, { exact: true }));
  }
  await banner.waitFor({ state: 'hidden' });
  const edge1 = page.locator('#data-planes tr', { hasText: 'edge-1' });
  for (const text of [NACK, '✗ NACK rds version 7', '✓ Connected']) await visible(edge1.getByText(text, { exact: true }));
  await visible(page.locator('#data-planes tr', { hasText: 'edge-2' }).getByText('✗ Disconnected'));

  await visible(page.locator('#triggers').getByText(`team-b/${XSS}`, { exact: true }));
  await visible(page.locator('#triggers').getByText(`admitted ${XSS}`, { exact: true }));
  assert.equal(await page.evaluate('window.__xss'), undefined);
  assert.equal(await page.locator('img').count(), 0, 'no tenant string became an element');
  assert.equal(page.url().includes(PLATFORM_TOKEN), false, 'the token stays out of the URL');
  assert.equal(await page.getByLabel('Admin token').inputValue(), '', 'nor does it stay in the field');
  await screenshot(page, 'status-page.png');

  fixture.platform = platformView(false);
  await visible(rejected.getByText('No rejected triggers.'));
  await visible(page.locator('#triggers tr', { hasText: 'team-b/status-copy' }).getByText('✓ Accepted: True'));

  fixture.down = true;
  await visible(banner.getByText('Cannot reach the admin API'));
  await visible(page.locator('#triggers').getByText('status-b.apps.example.com'));
  assert.deepEqual(await problems(), []);
});

test("a tenant's token shows its own triggers, and no data-plane, tenant or manifest-error section", async (t) => {
  const fixture: Fixture = { platform: platformView(true), tenant: tenantView(), down: false };
  const { page, problems } = await open(t, await serve(t, fixture));
  await useToken(page, PLATFORM_TOKEN);
  await visible(page.locator('#data-planes'));

  await useToken(page, TENANT_TOKEN);
  await visible(page.locator('#summary').getByText('tenant team-b', { exact: true }));
  await visible(page.locator('#rejected').getByText(CONFLICT, { exact: true }));
  for (const id of ['data-planes', 'tenants', 'manifest-errors']) {
    assert.equal(await page.locator(`#${id}`).isHidden(), true, `#${id} is hidden`);
    assert.equal(await page.locator(`nav [data-section="${id}"]`).isHidden(), true, `the link to #${id} is hidden`);
  }
  assert.equal(await page.locator('#triggers').getByText('team-a/status').count(), 0);
  await screenshot(page, 'status-page-tenant.png');
  assert.deepEqual(await problems(), []);
});
