/**
 * protos/ is a wire-compatible subset of the upstream Envoy API: every message, field, enum
 * value and service method in it exists upstream with the same number, type, label, oneof
 * and streaming. The walk is generic, so a field added to protos/ later is checked too.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import protobuf from 'protobufjs';
import { loadXdsProtos } from '../src/xds/proto/load.js';
import { PROTOS_DIR, protoFiles } from '../src/xds/proto/proto-files.js';
import { tmpDir } from './helpers/tmp-dir.js';
import { upstreamRoot } from './helpers/upstream-protos.js';

type Definition = protobuf.Type | protobuf.Enum | protobuf.Service;

/** Every .proto under `dir`, parsed the way proto-loader parses it (snake_case names kept). */
function loadProtoDir(dir: string): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(dir, target));
  root.loadSync(protoFiles(dir), { keepCase: true });
  root.resolveAll();
  return root;
}

/**
 * Every message, enum and service parsed from a file, nested ones included. protobufjs's
 * built-in google.protobuf types have no file: they are not ours to check.
 */
function definitions(namespace: protobuf.NamespaceBase): Definition[] {
  return namespace.nestedArray.flatMap((object) => {
    const own = isDefinition(object) && object.filename ? [object] : [];
    return object instanceof protobuf.Namespace ? [...own, ...definitions(object)] : own;
  });
}

function isDefinition(object: protobuf.ReflectionObject): object is Definition {
  return object instanceof protobuf.Type || object instanceof protobuf.Enum || object instanceof protobuf.Service;
}

const nameOf = (object: protobuf.ReflectionObject): string => object.fullName.slice(1);

/** What must agree for two fields to be the same on the wire and in the object form. */
function fieldShape(field: protobuf.Field): Record<string, string | number> {
  const valueType = field.resolvedType ? nameOf(field.resolvedType) : field.type;
  const isMap = field instanceof protobuf.MapField;
  return {
    number: field.id,
    label: labelOf(field),
    type: isMap ? `map<${field.keyType}, ${valueType}>` : valueType,
    oneof: field.partOf?.name ?? '(none)',
  };
}

function labelOf(field: protobuf.Field): string {
  if (field instanceof protobuf.MapField) return 'map';
  if (field.repeated) return 'repeated';
  if (field.required) return 'required';
  // A proto3 `optional` field is also in a synthetic oneof named `_<field>`.
  return field.options?.['proto3_optional'] ? 'optional' : 'singular';
}

function methodShape(method: protobuf.Method): Record<string, unknown> {
  return {
    requestType: method.resolvedRequestType && nameOf(method.resolvedRequestType),
    requestStream: Boolean(method.requestStream),
    responseType: method.resolvedResponseType && nameOf(method.resolvedResponseType),
    responseStream: Boolean(method.responseStream),
  };
}

/** Each named member of `ours` (field, enum value, method) against upstream's of that name. */
function memberMismatches<Member>(
  owner: string,
  kind: string,
  ours: Record<string, Member>,
  theirs: Record<string, Member>,
  shape: (member: Member) => Record<string, unknown>,
): string[] {
  return Object.entries(ours).flatMap(([name, member]) => {
    const path = `${owner}.${name}`;
    const upstream = theirs[name];
    if (upstream === undefined) return [`${path}: no such ${kind} upstream`];
    const [mine, reference] = [shape(member), shape(upstream)];
    return Object.keys(mine)
      .filter((key) => mine[key] !== reference[key])
      .map((key) => `${path}: ${key} ${String(mine[key])}, upstream ${String(reference[key])}`);
  });
}

function definitionMismatches(definition: Definition, theirs: protobuf.ReflectionObject | null): string[] {
  const name = nameOf(definition);
  if (definition instanceof protobuf.Type) {
    return theirs instanceof protobuf.Type
      ? memberMismatches(name, 'field', definition.fields, theirs.fields, fieldShape)
      : [`${name}: no such message upstream`];
  }
  if (definition instanceof protobuf.Enum) {
    return theirs instanceof protobuf.Enum
      ? memberMismatches(name, 'value', definition.values, theirs.values, (value) => ({ value }))
      : [`${name}: no such enum upstream`];
  }
  return theirs instanceof protobuf.Service
    ? memberMismatches(name, 'method', definition.methods, theirs.methods, methodShape)
    : [`${name}: no such service upstream`];
}

/** Every way `ours` departs from `upstream`, one line each, in definition order. */
function upstreamMismatches(ours: protobuf.Root, upstream: protobuf.Root): string[] {
  return definitions(ours).flatMap((definition) => definitionMismatches(definition, upstream.lookup(definition.fullName)));
}

/** upstreamMismatches of a directory holding `files` (name → .proto source). */
async function mismatchesOf(t: TestContext, files: Record<string, string>): Promise<string[]> {
  const dir = await tmpDir(t);
  for (const [name, source] of Object.entries(files)) await writeFile(join(dir, name), source);
  return upstreamMismatches(loadProtoDir(dir), upstreamRoot());
}

test('every message, field, enum value and method in protos/ matches upstream Envoy', () => {
  assert.deepEqual(upstreamMismatches(loadProtoDir(PROTOS_DIR), upstreamRoot()), []);
});

test('the upstream check covers every package-level definition the loader serves', () => {
  const checked = definitions(loadProtoDir(PROTOS_DIR))
    .filter((definition) => !(definition.parent instanceof protobuf.Type))
    .map(nameOf);
  const served = Object.keys(loadXdsProtos().packageDefinition).filter((name) => !name.startsWith('google.protobuf.'));
  assert.deepEqual(checked.sort(), served.sort());
  assert.ok(served.includes('google.rpc.Status'));
  assert.ok(served.includes('envoy.service.discovery.v3.AggregatedDiscoveryService'));
});

test('nested messages and enums are checked too', () => {
  const checked = definitions(loadProtoDir(PROTOS_DIR)).map(nameOf);
  for (const nested of [
    'envoy.config.core.v3.SocketAddress.Protocol',
    'envoy.config.core.v3.HealthCheck.HttpHealthCheck',
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig',
    'envoy.service.discovery.v3.DynamicParameterConstraints.SingleConstraint.Exists',
  ]) {
    assert.ok(checked.includes(nested), nested);
  }
});

test('a proto that departs from upstream is reported field by field', async (t) => {
  const mismatches = await mismatchesOf(t, {
    'route.proto': `syntax = "proto3";
package envoy.config.route.v3;
message VirtualHost {
  string name = 1;
  repeated string domains = 3;
  string routes = 4;
  repeated string domain = 5;
}
message RouteMatch {
  string prefix = 1;
}
message RouteAction {
  enum ClusterNotFoundResponseCode {
    SERVICE_UNAVAILABLE = 0;
    NOT_FOUND = 2;
    GONE = 3;
  }
}
message Routes {
}
`,
    'cluster.proto': `syntax = "proto3";
package envoy.config.cluster.v3;
message Cluster {
  map<string, string> typed_extension_protocol_options = 36;
}
`,
    'rds.proto': `syntax = "proto3";
package envoy.service.route.v3;
import "discovery.proto";
service RouteDiscoveryService {
  rpc StreamRoutes(envoy.service.discovery.v3.DiscoveryRequest) returns (stream envoy.service.discovery.v3.DiscoveryResponse);
  rpc FetchAll(envoy.service.discovery.v3.DiscoveryRequest) returns (envoy.service.discovery.v3.DiscoveryResponse);
}
`,
    'discovery.proto': `syntax = "proto3";
package envoy.service.discovery.v3;
message DiscoveryRequest {
}
message DiscoveryResponse {
}
`,
  });
  assert.deepEqual(mismatches, [
    'envoy.config.cluster.v3.Cluster.typed_extension_protocol_options: type map<string, string>, upstream map<string, google.protobuf.Any>',
    'envoy.config.route.v3.VirtualHost.domains: number 3, upstream 2',
    'envoy.config.route.v3.VirtualHost.routes: number 4, upstream 3',
    'envoy.config.route.v3.VirtualHost.routes: label singular, upstream repeated',
    'envoy.config.route.v3.VirtualHost.routes: type string, upstream envoy.config.route.v3.Route',
    'envoy.config.route.v3.VirtualHost.domain: no such field upstream',
    'envoy.config.route.v3.RouteMatch.prefix: oneof (none), upstream path_specifier',
    'envoy.config.route.v3.RouteAction.ClusterNotFoundResponseCode.NOT_FOUND: value 2, upstream 1',
    'envoy.config.route.v3.RouteAction.ClusterNotFoundResponseCode.GONE: no such value upstream',
    'envoy.config.route.v3.Routes: no such message upstream',
    'envoy.service.route.v3.RouteDiscoveryService.StreamRoutes: requestStream false, upstream true',
    'envoy.service.route.v3.RouteDiscoveryService.FetchAll: no such method upstream',
  ]);
});

test('oneof membership, proto3 optional and unknown enums are reported', async (t) => {
  const mismatches = await mismatchesOf(t, {
    'address.proto': `syntax = "proto3";
package envoy.config.core.v3;
message SocketAddress {
  oneof port_specifier {
    uint32 port_value = 3;
    string address = 2;
  }
  optional string resolver_name = 5;
}
enum ApiVersions {
  AUTO = 0;
}
`,
  });
  assert.deepEqual(mismatches, [
    'envoy.config.core.v3.SocketAddress.address: oneof port_specifier, upstream (none)',
    'envoy.config.core.v3.SocketAddress.resolver_name: label optional, upstream singular',
    'envoy.config.core.v3.SocketAddress.resolver_name: oneof _resolver_name, upstream (none)',
    'envoy.config.core.v3.ApiVersions: no such enum upstream',
  ]);
});
