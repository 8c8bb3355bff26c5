/**
 * `npm start`: a demo gateway on every gateway address of the bundled HostGroups, then
 * `triggerway serve` on the bundled examples with the admin API on. Ctrl-C stops both.
 * The demo's tokens are made afresh at each start (never a secret in the repository) and
 * written to the data directory.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { main } from '../src/cli/main.js';
import { loadManifests } from '../src/sources/load-manifests.js';
import { startDemoGateway, type DemoGateway } from './demo-gateway.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

const manifests = await loadManifests([examples]);
const gateways: DemoGateway[] = [];
for (const group of manifests.hostGroups) {
  for (const { address, port } of group.spec.gateways) {
    const gateway = await startDemoGateway(port, address).catch((error: NodeJS.ErrnoException) => {
      const hint = error.code === 'EADDRINUSE' ? ' (is another `npm start` running?)' : '';
      process.stderr.write(`cannot start the demo gateway on ${address}:${port}: ${error.message}${hint}\n`);
      process.exit(1);
    });
    gateways.push(gateway);
    process.stdout.write(`demo runtime gateway for HostGroup ${group.metadata.name} on ${gateway.url}\n`);
  }
}
const dataDir = '.triggerway';
const tokensFile = join(dataDir, 'demo-tokens.yaml');
const token = (name: string): string => `${name}-${randomBytes(12).toString('base64url')}`;
const platformToken = token('platform');
const teamAToken = token('team-a');
await mkdir(dataDir, { recursive: true });
await writeFile(
  tokensFile,
  stringify({ tokens: [{ name: 'demo-platform', token: platformToken, role: 'platform' }, { name: 'demo-team-a', token: teamAToken, namespace: 'team-a' }] }),
  { mode: 0o600 },
);
process.stdout.write(
  [
    '',
    'Try, in another terminal:',
    `  curl -s http://127.0.0.1:8080/api/orders -H 'host: shop.team-a.example.com'   # routed by the Node router`,
    `  curl -s http://127.0.0.1:8080/ -H 'host: pr-7.preview.team-a.example.com'      # a wildcard host`,
    `  curl -s -i http://127.0.0.1:8080/ -H 'host: unknown.example.com'              # unknown hosts reach nobody: 404`,
    `  curl -s http://127.0.0.1:8081/metrics | grep triggerway_router               # the router's metrics`,
    `  node bin/triggerway.js check examples/          # every trigger, its hosts and why one is refused`,
    '',
    `The admin API and status page: http://127.0.0.1:8081/ (paste a token; the demo's are in ${tokensFile})`,
    `  platform token: ${platformToken}`,
    `  team-a token:   ${teamAToken}`,
    `  node bin/triggerway.js status --token ${platformToken}`,
    `  node bin/triggerway.js get httptriggers -n team-a --token ${teamAToken}`,
    '  edit or add a file under examples/ and watch the log below',
    '',
  ].join('\n'),
);
process.exitCode = await main(['serve', '--triggers', examples, '--data-dir', dataDir, '--tokens', tokensFile]);
await Promise.all(gateways.map((gateway) => gateway.close()));
