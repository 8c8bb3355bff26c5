/**
 * The header list sent upstream (DESIGN.md §4). Order matters: the client's hop-by-hop
 * fields and every field its `Connection` names go first, then our own fields are added,
 * so `Connection: x-forwarded-for` can remove the client's copy but never ours.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { CompiledRoute, ListenerSettings } from '../config/types.js';
import { applyAdditions, mutationPlan, type HeaderLookup } from './header-mutations.js';
import { HOP_BY_HOP_HEADERS } from './hop-by-hop.js';
import type { RequestHead } from './request-head.js';

/**
 * Fields the router sets itself, so the client's copies never pass: Host is rewritten from
 * the routed authority, `expect` is answered here (undici refuses to forward it), and the
 * x-forwarded pair is rebuilt as Envoy's use_remote_address edge does.
 */
const ROUTER_SET_HEADERS: ReadonlySet<string> = new Set(['host', 'expect', 'x-forwarded-for', 'x-forwarded-proto']);

export interface ForwardContext {
  /** The authority routed on, as the client sent it (Host, or the absolute-form target's). */
  readonly authority: string;
  /** The client's address, appended to x-forwarded-for. */
  readonly remoteAddress: string;
  /** A new x-request-id replacing the client's; undefined keeps what the client sent. */
  readonly requestId: string | undefined;
}

/**
 * Envoy's edge defaults (generate_request_id on, preserve_external_request_id off): every
 * request gets a fresh x-request-id, and a client cannot pick the id logs are joined by.
 */
export function forwardContext(req: IncomingMessage, head: RequestHead, listener: ListenerSettings, authority: string): ForwardContext {
  const keep = !listener.generateRequestId || (listener.preserveExternalRequestId && head.requestId !== undefined);
  return { authority, remoteAddress: req.socket.remoteAddress ?? '', requestId: keep ? undefined : randomUUID() };
}

export function upstreamRequestHeaders(raw: readonly string[], head: RequestHead, route: CompiledRoute, context: ForwardContext): string[] {
  const plan = mutationPlan(route.requestHeaders);
  const listed = head.connectionOptions;
  const headers: string[] = [];
  const { names } = head;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (HOP_BY_HOP_HEADERS.has(name) || ROUTER_SET_HEADERS.has(name) || plan.removed.has(name)) continue;
    if (listed !== undefined && listed.has(name)) continue;
    if (name === 'x-request-id' && context.requestId !== undefined) continue;
    headers.push(name, raw[2 * i + 1] as string);
  }
  headers.push('host', context.authority);
  const clientForwardedFor = listed?.has('x-forwarded-for') ? undefined : head.forwardedFor;
  addUnlessRemoved(headers, plan.removed, 'x-forwarded-for', clientForwardedFor === undefined ? context.remoteAddress : `${clientForwardedFor}, ${context.remoteAddress}`);
  addUnlessRemoved(headers, plan.removed, 'x-forwarded-proto', 'http');
  if (context.requestId !== undefined) addUnlessRemoved(headers, plan.removed, 'x-request-id', context.requestId);
  if (plan.additions.length > 0) applyAdditions(headers, plan.additions, requestLookup(raw, head, context));
  return headers;
}

function addUnlessRemoved(headers: string[], removed: ReadonlySet<string>, name: string, value: string): void {
  if (!removed.has(name)) headers.push(name, value);
}

/** `%REQ(name)%` reads the request as the client sent it; `:authority` is the routed one. */
function requestLookup(raw: readonly string[], head: RequestHead, context: ForwardContext): HeaderLookup {
  return (name) => {
    if (name === ':authority' || name === 'host') return context.authority;
    const index = head.names.indexOf(name);
    return index === -1 ? undefined : raw[2 * index + 1];
  };
}
