/**
 * A real, independent xDS client: @grpc/grpc-js-xds's own XdsClient, watching triggerway's
 * four resources by name over one ADS stream, as gRPC's resolver and xDS server would.
 *
 * Each resource arrives only through grpc-js-xds's own decoding and validation
 * (build/src/xds-resource-type/*.js): a watcher's `onResourceChanged` means the client
 * accepted it and ACKs that version; an `onError` carrying "... message validation failed"
 * means it rejected it and NACKs the response with that text. The XdsClient takes its
 * bootstrap as a constructor argument, so no environment variable (and no child process)
 * is needed; `register()` must run first, or the router HTTP filter is unknown to the
 * Listener validation and every Listener is NACKed for that alone.
 */
import { register } from '@grpc/grpc-js-xds';
import { validateBootstrapConfig } from '@grpc/grpc-js-xds/build/src/xds-bootstrap.js';
import { Watcher, XdsClient } from '@grpc/grpc-js-xds/build/src/xds-client.js';
import { ClusterResourceType } from '@grpc/grpc-js-xds/build/src/xds-resource-type/cluster-resource-type.js';
import { EndpointResourceType } from '@grpc/grpc-js-xds/build/src/xds-resource-type/endpoint-resource-type.js';
import { ListenerResourceType } from '@grpc/grpc-js-xds/build/src/xds-resource-type/listener-resource-type.js';
import { RouteConfigurationResourceType } from '@grpc/grpc-js-xds/build/src/xds-resource-type/route-config-resource-type.js';
import type { XdsResourceType } from '@grpc/grpc-js-xds/build/src/xds-resource-type/xds-resource-type.js';
import { clusterName, LISTENER_NAME, ROUTE_CONFIGURATION_NAME } from '../../src/xds/resources/names.js';
import { EventQueue } from './event-queue.js';

register();

/** The labels serve's NACK log lines use. */
export type XdsLabel = 'LDS' | 'RDS' | 'CDS' | 'EDS';
export const XDS_LABELS: readonly XdsLabel[] = ['LDS', 'RDS', 'CDS', 'EDS'];

/** What one watcher was told, in order. */
export type WatchEvent = { readonly kind: 'changed'; readonly resource: object } | { readonly kind: 'error'; readonly details: string } | { readonly kind: 'does-not-exist' };

/** The client's own record of a resource (what its CSDS would report). */
export interface ClientStatus {
  readonly clientStatus: string;
  readonly version?: string | undefined;
  readonly failedVersion?: string | undefined;
  readonly failedDetails?: string | undefined;
}

interface Watch {
  readonly type: XdsResourceType;
  readonly name: string;
  readonly watcher: Watcher<object>;
}

export class InteropClient {
  readonly client: XdsClient;
  readonly events = new Map<XdsLabel, EventQueue<WatchEvent>>();
  readonly #watches = new Map<XdsLabel, Watch>();

  /** Connects to `serverUri` (host:port) as `nodeId` and watches the Listener, RouteConfiguration, and `hostGroup`'s Cluster and ClusterLoadAssignment. */
  constructor(serverUri: string, nodeId: string, hostGroup: string) {
    this.client = new XdsClient(
      validateBootstrapConfig({
        xds_servers: [{ server_uri: serverUri, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] }],
        node: { id: nodeId, cluster: 'grpc-interop', locality: {} },
      }),
    );
    const types: Record<XdsLabel, [XdsResourceType, string]> = {
      LDS: [ListenerResourceType.get(), LISTENER_NAME],
      RDS: [RouteConfigurationResourceType.get(), ROUTE_CONFIGURATION_NAME],
      CDS: [ClusterResourceType.get(), clusterName(hostGroup)],
      EDS: [EndpointResourceType.get(), clusterName(hostGroup)],
    };
    for (const label of XDS_LABELS) {
      const [type, name] = types[label];
      const events = new EventQueue<WatchEvent>();
      const watcher = new Watcher<object>({
        onResourceChanged: (resource) => events.push({ kind: 'changed', resource }),
        onError: (status) => events.push({ kind: 'error', details: status.details }),
        onResourceDoesNotExist: () => events.push({ kind: 'does-not-exist' }),
      });
      this.events.set(label, events);
      this.#watches.set(label, { type, name, watcher });
      this.client.watchResource(type, name, watcher);
    }
  }

  /** The next thing the watcher of `label` is told. */
  next(label: XdsLabel, timeoutMs = 5000): Promise<WatchEvent> {
    return this.events.get(label)!.next(timeoutMs);
  }

  /** The client's state for the resource of `label`: ACKED (with the version), NACKED (with the failed version and why), REQUESTED... */
  status(label: XdsLabel): ClientStatus | undefined {
    const { type, name } = this.#watches.get(label)!;
    return this.client.authorityStateMap.get('old:')?.resourceMap.get(type)?.get(name)?.meta;
  }

  /** Cancels every watch: the client ends its ADS stream, and nothing of it keeps the process alive. */
  close(): void {
    for (const { type, name, watcher } of this.#watches.values()) this.client.cancelResourceWatch(type, name, watcher);
    this.#watches.clear();
  }
}
