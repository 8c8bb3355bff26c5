/**
 * Envoy's own error responses, mapped to the statuses DESIGN.md §4 promises. Mappers apply
 * only to replies Envoy generates (never to a workload's response), first match wins.
 */
import type { HeaderValueOption, UInt32Value } from './envoy-types.js';
import { uint32 } from './proto-values.js';
import { retryAfterHeader, UNAVAILABLE_STATUS } from './unavailable.js';

export interface ResponseMapper {
  readonly filter:
    | { readonly response_flag_filter: { readonly flags: readonly string[] } }
    | { readonly status_code_filter: { readonly comparison: StatusComparison } };
  readonly status_code?: UInt32Value;
  readonly headers_to_add?: readonly HeaderValueOption[];
}

interface StatusComparison {
  readonly op: 'EQ';
  readonly value: { readonly default_value: number; readonly runtime_key: string };
}

export interface LocalReplyConfig {
  readonly mappers: readonly ResponseMapper[];
}

/**
 * Response flags of a failed upstream exchange: connection failure (UF), connection
 * termination (UC) and remote reset (UR). Envoy answers them 503; to the client they are a
 * bad gateway (502), not a lack of capacity worth retrying later.
 */
export const UPSTREAM_FAILURE_FLAGS = ['UF', 'UC', 'UR'] as const;

/** Required by Envoy's schema; no runtime sets it, so the default status applies. */
const UNAVAILABLE_RUNTIME_KEY = 'triggerway.local_reply.unavailable_status';

export function buildLocalReplyConfig(): LocalReplyConfig {
  return {
    mappers: [
      { filter: { response_flag_filter: { flags: UPSTREAM_FAILURE_FLAGS } }, status_code: uint32(502) },
      // What is left at 503 is a lack of capacity: no healthy endpoint (UH), a circuit
      // breaker (UO), an unknown cluster (NC) or an unresolved route. Those may be retried.
      {
        filter: {
          status_code_filter: {
            comparison: { op: 'EQ', value: { default_value: UNAVAILABLE_STATUS, runtime_key: UNAVAILABLE_RUNTIME_KEY } },
          },
        },
        headers_to_add: [retryAfterHeader()],
      },
    ],
  };
}
