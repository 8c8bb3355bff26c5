/**
 * The upstream Envoy API protos that `@grpc/grpc-js-xds` ships under `deps/`, loaded with
 * protobufjs reflection: the independent reference our own protos/ and every emitted
 * resource are checked against.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);
const DEPS = join(dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');

/**
 * Include directories of the upstream tree, in lookup order; protobufjs's own directory
 * supplies google/protobuf/descriptor.proto (the other well-known types are built in).
 */
export const UPSTREAM_INCLUDE_DIRS = [
  ...['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((dir) => join(DEPS, dir)),
  dirname(require.resolve('protobufjs/package.json')),
];

/** Files whose transitive imports cover everything triggerway emits or reads. */
export const UPSTREAM_ENTRY_FILES = [
  'envoy/config/bootstrap/v3/bootstrap.proto',
  'envoy/config/listener/v3/listener.proto',
  'envoy/config/route/v3/route.proto',
  'envoy/config/cluster/v3/cluster.proto',
  'envoy/config/endpoint/v3/endpoint.proto',
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/http/router/v3/router.proto',
  'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
  'envoy/service/discovery/v3/ads.proto',
  'envoy/service/discovery/v3/discovery.proto',
  'envoy/service/listener/v3/lds.proto',
  'envoy/service/route/v3/rds.proto',
  'envoy/service/cluster/v3/cds.proto',
  'envoy/service/endpoint/v3/eds.proto',
];

let root: protobuf.Root | undefined;

/** The upstream root, loaded once per process (it takes a few hundred milliseconds). */
export function upstreamRoot(): protobuf.Root {
  if (root) return root;
  const loaded = new protobuf.Root();
  loaded.resolvePath = (_origin, target) => {
    if (existsSync(target)) return target;
    for (const dir of UPSTREAM_INCLUDE_DIRS) {
      const candidate = join(dir, target);
      if (existsSync(candidate)) return candidate;
    }
    // The well-known types protobufjs has built in (google/protobuf/any.proto, …).
    return target;
  };
  loaded.loadSync(UPSTREAM_ENTRY_FILES, { keepCase: true });
  loaded.resolveAll();
  root = loaded;
  return root;
}

/** The upstream message type `name` (fully qualified, no leading dot). */
export function upstreamType(name: string): protobuf.Type {
  return upstreamRoot().lookupType(name);
}

/**
 * Decodes `bytes` as the upstream `typeName` into a plain object (enums as names, longs as
 * numbers). With `unpackAny`, every Any becomes `{ '@type': url, ...fields }`, the form
 * resource builders and Envoy's YAML write, instead of `{ type_url, value }`.
 */
export function decodeUpstream(typeName: string, bytes: Uint8Array, { unpackAny = false } = {}): Record<string, unknown> {
  const type = upstreamType(typeName);
  return type.toObject(type.decode(bytes), {
    enums: String,
    longs: Number,
    bytes: Buffer,
    defaults: false,
    oneofs: false,
    json: unpackAny,
  }) as Record<string, unknown>;
}
