/**
 * What an undici error means for the client and for the endpoint. Statuses follow the
 * Envoy configuration the control plane serves (its local-reply mappers turn connection
 * failures and resets into 502) and DESIGN.md §4 (a timeout is 504), never a 500.
 */
import type { LocalReplyKind } from './local-reply.js';

/** How an exchange ended, as passive outlier detection counts it. */
export type ExchangeOutcome = 'success' | 'http-5xx' | 'connect-failure' | 'reset' | 'timeout';

export interface UpstreamFailure {
  /** `cancelled`: the request itself could not be sent; the endpoint is not to blame. */
  readonly outcome: Exclude<ExchangeOutcome, 'success' | 'http-5xx'> | 'cancelled';
  /** The reply when no response byte has reached the client yet. */
  readonly reply: LocalReplyKind;
  /** A bounded metric label. */
  readonly kind: 'connect_failure' | 'connect_timeout' | 'reset' | 'headers_timeout' | 'body_timeout' | 'route_timeout' | 'protocol_error' | 'invalid_request';
}

const CONNECT_FAILURE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);
/** undici refused to send the request as given: a request the router should not have forwarded. */
const INVALID_REQUEST_CODES = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH']);
const PROTOCOL_ERROR_CODES = new Set([
  'UND_ERR_HEADERS_OVERFLOW',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  'UND_ERR_INFO',
]);

export function classifyUpstreamError(error: unknown): UpstreamFailure {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (INVALID_REQUEST_CODES.has(code)) return { outcome: 'cancelled', reply: 'bad-request', kind: 'invalid_request' };
    if (CONNECT_FAILURE_CODES.has(code)) return { outcome: 'connect-failure', reply: 'upstream-failure', kind: 'connect_failure' };
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return { outcome: 'connect-failure', reply: 'upstream-failure', kind: 'connect_timeout' };
    if (code === 'UND_ERR_HEADERS_TIMEOUT') return { outcome: 'timeout', reply: 'upstream-timeout', kind: 'headers_timeout' };
    if (code === 'UND_ERR_BODY_TIMEOUT') return { outcome: 'timeout', reply: 'upstream-timeout', kind: 'body_timeout' };
    // llhttp's HPE_* codes: the upstream sent something that is not HTTP/1.1.
    if (PROTOCOL_ERROR_CODES.has(code) || code.startsWith('HPE_')) return { outcome: 'reset', reply: 'upstream-failure', kind: 'protocol_error' };
  }
  // UND_ERR_SOCKET ("other side closed"), ECONNRESET, EPIPE and anything unforeseen.
  return { outcome: 'reset', reply: 'upstream-failure', kind: 'reset' };
}

/**
 * RFC 9110 §9.2.2: a proxy MUST NOT automatically retry non-idempotent requests. A retry
 * also needs the request again, so only a request without a body qualifies.
 */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

export function isRetryable(method: string, hasBody: boolean, failure: UpstreamFailure): boolean {
  if (hasBody || !IDEMPOTENT_METHODS.has(method)) return false;
  // A connect failure sent nothing; a reset before any response byte is the keep-alive race
  // (the gateway closed an idle connection as the request went out). A timeout is not
  // retried: the gateway may still be working on it.
  return failure.outcome === 'connect-failure' || failure.outcome === 'reset';
}
