/**
 * The discovery requests as @grpc/proto-loader decodes them (snake_case, absent fields
 * undefined). Everything is optional: a client may send anything, and nothing it sends may
 * crash the server.
 */
export interface NodeMessage {
  readonly id?: string;
  readonly cluster?: string;
  readonly user_agent_name?: string;
  readonly user_agent_version?: string;
  readonly client_features?: readonly string[];
}

export interface StatusMessage {
  readonly code?: number;
  readonly message?: string;
}

export interface DiscoveryRequest {
  readonly version_info?: string;
  readonly node?: NodeMessage | null;
  readonly resource_names?: readonly string[];
  readonly type_url?: string;
  readonly response_nonce?: string;
  readonly error_detail?: StatusMessage | null;
}

export interface DeltaDiscoveryRequest {
  readonly node?: NodeMessage | null;
  readonly type_url?: string;
  readonly resource_names_subscribe?: readonly string[];
  readonly resource_names_unsubscribe?: readonly string[];
  readonly initial_resource_versions?: Readonly<Record<string, string>>;
  readonly response_nonce?: string;
  readonly error_detail?: StatusMessage | null;
}
