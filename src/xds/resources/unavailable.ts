/**
 * The 503 a client gets when nothing can serve its route (DESIGN.md §4: "no healthy endpoint
 * 503 (+ Retry-After)"), whether the route's HostGroups are unresolved or Envoy has no
 * healthy endpoint for them.
 */
import type { DirectResponseAction, HeaderValueOption } from './envoy-types.js';
import { setHeader } from './proto-values.js';

export const UNAVAILABLE_STATUS = 503;

/** Envoy's own body for an empty or all-unhealthy cluster, so both 503s read the same. */
export const UNAVAILABLE_BODY = 'no healthy upstream';

/** One default health-check interval: when a gateway that came back is in rotation again. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * OVERWRITE, never append: Envoy may apply a route's response headers to a local reply more
 * than once, and the local-reply mapper sets the same header again.
 */
export function retryAfterHeader(): HeaderValueOption {
  return setHeader('retry-after', String(RETRY_AFTER_SECONDS));
}

export function unavailableResponse(): DirectResponseAction {
  return { status: UNAVAILABLE_STATUS, body: { inline_string: UNAVAILABLE_BODY } };
}
