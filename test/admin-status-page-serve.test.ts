/**
 * The status page on a real `serve`, with a standalone router connected over ADS: an
 * operator sees the rejected trigger's reason and the data plane's ACKs, in Chromium.
 */
import { test } from 'node:test';
import { call, startApiServe, TOKENS, triggerDoc, triggerPath } from './helpers/admin-api.js';
import { loggedPort, logged, startCli } from './helpers/router-cli.js';
import { openStatusPage, screenshot, useToken, visible } from './helpers/status-page-browser.js';

test('serve\'s status page shows a rejected trigger\'s reason and the connected data plane', { timeout: 45_000 }, async (t) => {
  const serve = await startApiServe(t);
  const admin = serve.ports.admin;
  await call(admin, 'PUT', triggerPath('team-a', 'shop'), { token: TOKENS.teamA, body: triggerDoc('team-a', 'shop', 'shop.example.com') });
  await call(admin, 'PUT', triggerPath('team-b', 'grab'), { token: TOKENS.teamB, body: triggerDoc('team-b', 'grab', 'shop.example.com') });
  const xds = await loggedPort(serve.cli, 'xDS server listening');
  const router = startCli(t, ['router', '--xds', `127.0.0.1:${xds}`, '--node-id', 'edge-1', '--router-listen', '127.0.0.1:0', '--admin-listen', '127.0.0.1:0', '--log-format', 'json']);
  await router.next(logged('router has its first configuration'), 15_000, 0);

  const { page, problems } = await openStatusPage(t, `http://127.0.0.1:${admin}`);
  await useToken(page, TOKENS.platform);
  const rejected = page.locator('#rejected tr', { hasText: 'team-b/grab' });
  await visible(rejected.getByText('HostnameConflict', { exact: true }));
  await visible(rejected.getByText('host "shop.example.com" is owned by namespace "team-a"', { exact: true }));
  const edge = page.locator('#data-planes tr', { hasText: 'edge-1' });
  await visible(edge.getByText('✓ Connected'));
  await visible(page.locator('#hosts tr', { hasText: 'shop.example.com' }).getByText('team-a', { exact: true }));
  await screenshot(page, 'status-page-serve.png');
  const seen = await problems();
  if (seen.length > 0) throw new Error(`the page reported problems:\n${seen.join('\n')}`);
});
