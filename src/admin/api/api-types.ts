/**
 * The admin API's wire shapes (JSON), shared by the server, the CLI client and the status
 * page. Objects read like Kubernetes objects: the manifest as submitted, with the server's
 * metadata (creationTimestamp, resourceVersion) and the admission status beside it.
 */
import type { TriggerStatus } from '../../admission/types.js';

export const API_PREFIX = '/v1';

/** Where an object came from: written through this API, or a file of the manifest directory. */
export type ObjectOrigin = { readonly kind: 'api' } | { readonly kind: 'file'; readonly file: string };

/** A trigger's admission status; its conditions are Accepted, ResolvedRefs, PartiallyInvalid and Programmed. */
export type TriggerStatusView = Pick<TriggerStatus, 'hosts' | 'routes' | 'conditions' | 'rejections'>;

/** One stored object as the API returns it: the manifest plus server-set metadata and status. */
export interface ApiObject {
  readonly apiVersion: string;
  readonly kind: 'HTTPTrigger' | 'HostGroup' | 'Tenant';
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly creationTimestamp: string;
    /** Opaque; send it back (body `metadata.resourceVersion` or `If-Match`) to write only over this version. */
    readonly resourceVersion: string;
  };
  readonly spec: unknown;
  /** HTTPTrigger only: the admission result of the set that included this version. */
  readonly status?: TriggerStatusView;
}

export interface ApiList {
  readonly kind: 'HTTPTriggerList' | 'HostGroupList' | 'TenantList';
  readonly items: readonly ApiObject[];
}

export type ApiErrorCode =
  | 'Unauthorized' // 401: no or unknown token
  | 'Forbidden' // 403: the token's scope does not cover the target
  | 'NotFound' // 404
  | 'MethodNotAllowed' // 405
  | 'Conflict' // 409: stale resourceVersion, or the object is defined by a manifest file
  | 'PayloadTooLarge' // 413
  | 'UnsupportedMediaType' // 415
  | 'Invalid' // 400: schema errors, with details
  | 'BadRequest' // 400: malformed JSON/YAML, bad path
  | 'Unavailable'; // 503

export interface ApiError {
  readonly error: {
    readonly code: ApiErrorCode;
    readonly message: string;
    /** Schema errors, located by field path (`spec.ingress.paths[1].pathType`). */
    readonly details?: readonly { readonly field: string; readonly message: string }[];
  };
}

/** Who is asking: what a token grants. */
export type ApiScope = { readonly role: 'platform' } | { readonly role: 'tenant'; readonly namespace: string };

export interface StatusTrigger extends TriggerStatusView {
  readonly namespace: string;
  readonly name: string;
  readonly origin: ObjectOrigin;
}

export interface StatusHost {
  /** Normalised pattern: `shop.example.com` or `*.example.com`. */
  readonly host: string;
  /** The owning namespace. */
  readonly namespace: string;
  /** `namespace/name` of each trigger routing on it. */
  readonly triggers: readonly string[];
}

export interface StatusDataPlane {
  readonly nodeId: string;
  readonly cluster: string;
  readonly connected: boolean;
  /** One entry per open stream: its protocol, `sotw` or `delta`. */
  readonly streams: readonly string[];
  /** xDS type label (`LDS`, `RDS`, `CDS`, `EDS`) → the snapshot version the node last ACKed of it. */
  readonly acked: Readonly<Record<string, string>>;
  readonly lastNack?: { readonly type: string; readonly version: string; readonly message: string; readonly at: string };
}

export interface StatusTenant {
  readonly name: string;
  readonly hostnames?: readonly string[];
  readonly hostGroups?: readonly string[];
  readonly maxTriggers?: number;
  readonly triggers: number;
}

/** `GET /v1/status`. A tenant token sees its own triggers and hosts, and no data planes, tenants or manifest errors. */
export interface StatusView {
  readonly scope: ApiScope;
  readonly snapshot?: { readonly version: string; readonly tableVersion: string; readonly builtAt: string };
  readonly triggers: readonly StatusTrigger[];
  readonly hosts: readonly StatusHost[];
  readonly tenants?: readonly StatusTenant[];
  readonly dataPlanes?: readonly StatusDataPlane[];
  readonly manifestErrors?: readonly { readonly file: string; readonly doc: number; readonly field: string; readonly message: string }[];
}
