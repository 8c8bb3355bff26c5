/**
 * `npm start`: a demo gateway on every gateway address of the bundled HostGroups, then
 * `triggerway serve` on the bundled examples. Ctrl-C stops both.
 */
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';
import { loadManifests } from '../src/sources/load-manifests.js';
import { startDemoGateway, type DemoGateway } from './demo-gateway.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

const manifests = await loadManifests([examples]);
const gateways: DemoGateway[] = [];
for (const group of manifests.hostGroups) {
  for (const { address, port } of group.spec.gateways) {
    const gateway = await startDemoGateway(port, address);
    gateways.push(gateway);
    process.stdout.write(`demo runtime gateway for HostGroup ${group.metadata.name} on ${gateway.url}\n`);
  }
}
process.stdout.write(
  [
    '',
    'Try, in another terminal:',
    `  node bin/triggerway.js check examples/          # every trigger, its hosts and why one is refused`,
    `  curl -s ${gateways[0]?.url ?? 'http://127.0.0.1:9001'}/ -H 'x-workload-id: team-a/storefront'   # a gateway answers`,
    '  edit or add a file under examples/ and watch the log below',
    '',
  ].join('\n'),
);
process.exitCode = await main(['serve', '--triggers', examples]);
await Promise.all(gateways.map((gateway) => gateway.close()));
