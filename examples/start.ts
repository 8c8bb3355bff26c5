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
    `  curl -s http://127.0.0.1:8080/api/orders -H 'host: shop.team-a.example.com'   # routed by the Node router`,
    `  curl -s http://127.0.0.1:8080/ -H 'host: pr-7.preview.team-a.example.com'      # a wildcard host`,
    `  curl -s -i http://127.0.0.1:8080/ -H 'host: unknown.example.com'              # unknown hosts reach nobody: 404`,
    `  curl -s http://127.0.0.1:8081/metrics | grep triggerway_router               # the router's metrics`,
    `  node bin/triggerway.js check examples/          # every trigger, its hosts and why one is refused`,
    '  edit or add a file under examples/ and watch the log below',
    '',
  ].join('\n'),
);
process.exitCode = await main(['serve', '--triggers', examples]);
await Promise.all(gateways.map((gateway) => gateway.close()));
