/**
 * Interop with a real, independent xDS client: @grpc/grpc-js-xds 1.14 (its XdsClient, see
 * helpers/xds-interop-client.ts) connects to `triggerway serve` and watches the Listener,
 * the RouteConfiguration and the HostGroup's Cluster and ClusterLoadAssignment by name.
 *
 * The Listener is ACKed: this grpc-js-xds validates a socket Listener's filter chains as its
 * xDS server does, and does not require `api_listener` (only its client channel would then
 * ignore the Listener, which is use, not validation). Everything else it rejects is one of
 * two restrictions gRPC places on xDS and Envoy does not, checked with grpc-js-xds's
 * exact text:
 *
 * - RDS, `path_separated_prefix` (our Prefix paths other than "/"): gRPC matches paths with
 *   `prefix`, `path` and `safe_regex` only (gRFC A28; SUPPORTED_PATH_SPECIFIERS in
 *   build/src/xds-resource-type/route-config-resource-type.js). One such route rejects the
 *   whole RouteConfiguration, so on the examples (/api, /v1, /v2) RDS is NACKed; a table
 *   without one is ACKed (second test).
 * - CDS, `lb_policy: LEAST_REQUEST`: grpc-js-xds takes `lb_policy` ROUND_ROBIN or RING_HASH,
 *   or a `load_balancing_policy` its registry knows (build/src/lb-policy-registry/), which
 *   has no least_request; no environment switch adds one (ClusterResourceType
 *   .validateResource in cluster-resource-type.js).
 *
 * The ClusterLoadAssignment is ACKed: gRPC rejects endpoints without a `locality`
 * (EndpointResourceType.validateResource in endpoint-resource-type.js), so the builder sets
 * an empty one, which Envoy does not need but accepts.
 */
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { decodeSingleResource, HTTP_CONNECTION_MANGER_TYPE_URL } from '@grpc/grpc-js-xds/build/src/resources.js';
import type { Listener__Output } from '@grpc/grpc-js-xds/build/src/generated/envoy/config/listener/v3/Listener.js';
import type { RouteConfiguration__Output } from '@grpc/grpc-js-xds/build/src/generated/envoy/config/route/v3/RouteConfiguration.js';
import { clusterName, LISTENER_NAME, ROUTE_CONFIGURATION_NAME } from '../src/xds/resources/names.js';
import { BIN, ChildLines, EXAMPLES, REPO } from './helpers/cli.js';
import { DEFAULT_HOSTGROUP_YAML, documents, triggerYaml } from './helpers/manifest-yaml.js';
import { onTestEnd, tmpDir } from './helpers/tmp-dir.js';
import { InteropClient, XDS_LABELS, type WatchEvent, type XdsLabel } from './helpers/xds-interop-client.js';

interface LogLine {
  msg: string;
  node?: string;
  type?: XdsLabel;
  version?: string;
  error?: string;
  address?: string;
  protocol?: string;
  agent?: string;
}

const parse = (line: string): LogLine => JSON.parse(line) as LogLine;
const NACK = 'data plane rejected config (NACK)';

/** The text grpc-js-xds gives a RouteConfiguration holding these Prefix routes, as [virtual host, route name]. */
function pathSeparatedPrefixRejected(routes: readonly (readonly [string, string])[]): string {
  const errors = routes.map(([host, route]) => `virtual_hosts[${host}].routes[${route}].match: unsupported path_specifier: path_separated_prefix`);
  return `RouteConfiguration message validation failed: [${errors.join(',')}]`;
}
const LEAST_REQUEST_REJECTED = 'Cluster message validation failed: [load_balancing_policy unset and unsupported lb_policy: LEAST_REQUEST]';

/** The examples' Prefix routes other than "/", in RouteConfiguration order. */
const EXAMPLE_PREFIX_ROUTES = [
  ['api.team-b.example.com', 'team-b/api:Prefix:/v1'],
  ['api.team-b.example.com', 'team-b/api:Prefix:/v2'],
  ['shop.team-a.example.com', 'team-a/shop-api:Prefix:/api'],
] as const;

interface Interop {
  readonly serve: ChildLines;
  readonly client: InteropClient;
  readonly nodeId: string;
}

/** `triggerway serve` on `triggers` as a child process, with grpc-js-xds connected to it in this one. */
async function startInterop(t: TestContext, triggers: string, dataDir: string, nodeId: string): Promise<Interop> {
  const serve = new ChildLines(process.execPath, [BIN, 'serve', '--triggers', triggers, '--data-dir', dataDir, '--log-format', 'json', '--debounce-ms', '30', '--xds-listen', '127.0.0.1:0', '--listener', '127.0.0.1:10080'], REPO);
  onTestEnd(t, () => serve.stop());
  const { address } = parse(await serve.next((line) => parse(line).msg === 'xDS server listening'));
  assert.match(address!, /^127\.0\.0\.1:\d+$/);
  const client = new InteropClient(address!, nodeId, 'default');
  onTestEnd(t, () => client.close()); // runs before serve stops
  const connected = parse(await serve.next((line) => parse(line).msg === 'data plane connected' && parse(line).node === nodeId));
  assert.equal(connected.protocol, 'sotw');
  assert.match(connected.agent!, /^gRPC Node Pure JS\/1\.14\./, 'the client is grpc-js-xds');
  return { serve, client, nodeId };
}

/**
 * Replaces a watched file in one step. Written in place, the file is empty for a moment, and
 * a rescan that lands then (serve also polls) reads a file with no triggers and publishes that.
 */
async function replaceFile(file: string, text: string): Promise<void> {
  await writeFile(`${file}.next`, text);
  await rename(`${file}.next`, file);
}

/** serve's log line for a NACK of `type` from `nodeId`. */
const isNack = (nodeId: string, type: XdsLabel) => (line: string): boolean => {
  const parsed = parse(line);
  return parsed.msg === NACK && parsed.node === nodeId && parsed.type === type;
};
const nackLines = ({ serve, nodeId }: Interop, type: XdsLabel): LogLine[] => serve.lines.filter(isNack(nodeId, type)).map(parse);
const nackText = (details: string): string => `xDS response validation errors: [resource index 0: ${details}]`;

/**
 * The next event of `type` is a rejection with exactly `details`, the client records it as
 * NACKED, and serve logs that NACK from this node with the same version and text.
 */
async function expectRejected(interop: Interop, type: XdsLabel, details: string, from = 0): Promise<string> {
  assert.deepEqual(await interop.client.next(type), { kind: 'error', details } satisfies WatchEvent, `${type} is rejected with grpc-js-xds's own text`);
  const status = interop.client.status(type);
  assert.equal(status?.clientStatus, 'NACKED');
  assert.equal(status.failedDetails, details);
  const logged = parse(await interop.serve.next(isNack(interop.nodeId, type), 5000, from));
  assert.equal(logged.error, nackText(details));
  assert.equal(logged.version, status.failedVersion, 'serve and the client name the same version');
  return logged.version!;
}

/** The next event of `type` delivers the resource: the client accepted it and ACKs it. */
async function expectAccepted<T>(interop: Interop, type: XdsLabel): Promise<{ resource: T; version: string }> {
  const event = await interop.client.next(type);
  if (event.kind !== 'changed') assert.fail(`${type} is accepted, got ${JSON.stringify(event)}`);
  const status = interop.client.status(type);
  assert.equal(status?.clientStatus, 'ACKED');
  return { resource: event.resource as T, version: status.version! };
}

/**
 * Ends the client's stream and waits until serve has seen it end, so every request the
 * client sent (each ACK and NACK) has been logged; then no NACK other than `allowed` came
 * from this node, and serve stops cleanly.
 */
async function finish(interop: Interop, allowed: Readonly<Partial<Record<XdsLabel, readonly string[]>>>): Promise<void> {
  const { serve, client, nodeId } = interop;
  client.close();
  await serve.next((line) => parse(line).msg === 'data plane disconnected' && parse(line).node === nodeId, 5000, 0);
  for (const type of XDS_LABELS) {
    const texts = (allowed[type] ?? []).map(nackText);
    for (const line of nackLines(interop, type)) assert.ok(texts.includes(line.error!), `unexpected ${type} NACK: ${line.error}`);
  }
  assert.equal(await serve.stop(), 0);
  assert.equal(serve.stderr, '');
}

test('grpc-js-xds ACKs the examples\' Listener, NACKs the rest only for gRPC-only restrictions, and sees a trigger edit', { timeout: 30_000 }, async (t) => {
  const root = await tmpDir(t);
  const triggers = join(root, 'examples');
  await cp(EXAMPLES, triggers, { recursive: true });
  const interop = await startInterop(t, triggers, join(root, 'state'), 'grpc-interop-examples');

  // LDS: accepted, and it is our listener: the HCM asks for our RouteConfiguration over ADS.
  const { resource: listener } = await expectAccepted<Listener__Output>(interop, 'LDS');
  assert.equal(listener.name, LISTENER_NAME);
  assert.deepEqual([listener.address?.socket_address?.address, listener.address?.socket_address?.port_value], ['127.0.0.1', 10080]);
  const [chain] = listener.filter_chains;
  const hcmConfig = chain?.filters[0]?.typed_config;
  assert.equal(hcmConfig?.type_url, HTTP_CONNECTION_MANGER_TYPE_URL);
  const hcm = decodeSingleResource(HTTP_CONNECTION_MANGER_TYPE_URL, hcmConfig.value);
  assert.equal(hcm.rds?.route_config_name, ROUTE_CONFIGURATION_NAME);
  assert.ok(hcm.rds?.config_source?.ads, 'RDS over ADS');
  assert.deepEqual(hcm.http_filters.map((filter) => filter.name), ['envoy.filters.http.router']);

  // CDS: a gRPC-only restriction, and nothing else about it. EDS: accepted, our gateways.
  await expectRejected(interop, 'CDS', LEAST_REQUEST_REJECTED);
  await expectAccepted(interop, 'EDS');
  // RDS: only the path_separated_prefix routes; the exact paths, the root prefixes, the
  // wildcard host and the header mutations pass gRPC's validation.
  const before = await expectRejected(interop, 'RDS', pathSeparatedPrefixRejected(EXAMPLE_PREFIX_ROUTES));
  // serve sends RDS only once LDS is answered (make-before-break), so an LDS NACK would be logged by now.
  assert.deepEqual(nackLines(interop, 'LDS'), []);

  // A trigger file gains a path: the next RouteConfiguration reaches the client, whose
  // rejection now names the new route.
  const mark = interop.serve.lines.length;
  const apiFile = join(triggers, 'team-b', 'api.json');
  const api = JSON.parse(await readFile(apiFile, 'utf8')) as { spec: { ingress: { paths: { path: string; pathType: string }[] } } };
  api.spec.ingress.paths.push({ path: '/v3', pathType: 'Prefix' });
  await replaceFile(apiFile, JSON.stringify(api));
  const withV3 = [...EXAMPLE_PREFIX_ROUTES.slice(0, 2), ['api.team-b.example.com', 'team-b/api:Prefix:/v3'], ...EXAMPLE_PREFIX_ROUTES.slice(2)] as const;
  const after = await expectRejected(interop, 'RDS', pathSeparatedPrefixRejected(withV3), mark);
  assert.notEqual(after, before, 'a new version');
  assert.equal(interop.client.status('LDS')?.clientStatus, 'ACKED');

  await finish(interop, {
    RDS: [pathSeparatedPrefixRejected(EXAMPLE_PREFIX_ROUTES), pathSeparatedPrefixRejected(withV3)],
    CDS: [LEAST_REQUEST_REJECTED],
  });
});

test('grpc-js-xds ACKs a RouteConfiguration within gRPC\'s route subset, and a trigger edit reaches its watcher', { timeout: 30_000 }, async (t) => {
  const root = await tmpDir(t);
  const triggers = join(root, 'manifests');
  const created = '2026-01-01T00:00:00Z';
  const shop = triggerYaml('team-a/shop', 'shop.example.com', { created });
  await mkdir(triggers);
  await writeFile(join(triggers, 'group.yaml'), DEFAULT_HOSTGROUP_YAML);
  await writeFile(join(triggers, 'shop.yaml'), shop);
  const interop = await startInterop(t, triggers, join(root, 'state'), 'grpc-interop-subset');

  const first = await expectAccepted<RouteConfiguration__Output>(interop, 'RDS');
  assert.deepEqual(virtualHosts(first.resource), [['shop.example.com', '/', clusterName('default')]]);
  await expectAccepted<Listener__Output>(interop, 'LDS');
  await expectRejected(interop, 'CDS', LEAST_REQUEST_REJECTED);
  await expectAccepted(interop, 'EDS');

  // The trigger file gains a second trigger with a new host: the watcher gets the new version.
  const mark = interop.serve.lines.length;
  await replaceFile(join(triggers, 'shop.yaml'), documents(shop, triggerYaml('team-a/blog', 'blog.example.com', { created })));
  const second = await expectAccepted<RouteConfiguration__Output>(interop, 'RDS');
  assert.notEqual(second.version, first.version);
  assert.deepEqual(virtualHosts(second.resource), [
    ['blog.example.com', '/', clusterName('default')],
    ['shop.example.com', '/', clusterName('default')],
  ]);
  // The node holds the routes but rejected the clusters they use: the new trigger is not
  // Programmed, and its status names the node and the rejection.
  const status = parse(await interop.serve.next((line) => parse(line).msg === 'trigger not programmed', 5_000, mark)) as LogLine & { trigger?: string; reason?: string; message?: string };
  assert.equal(status.trigger, 'team-a/blog');
  assert.equal(status.reason, 'Invalid');
  assert.match(status.message ?? '', new RegExp(`node "${interop.nodeId}" rejected CDS version .*: .*unsupported lb_policy: LEAST_REQUEST`));

  await finish(interop, { CDS: [LEAST_REQUEST_REJECTED] });
});

/** [domain, prefix, cluster] per route of each virtual host, as the client decoded them. */
function virtualHosts(routes: RouteConfiguration__Output): [string, string, string][] {
  return routes.virtual_hosts.flatMap((host) => host.routes.map((route) => [host.domains.join(','), route.match?.prefix ?? '', route.route?.cluster ?? ''] as [string, string, string]));
}
