/**
 * The router's own responses (never a workload's): DESIGN.md §4's status table, with short
 * plain bodies that name the failure class and nothing else, so a 404 for an unknown host
 * reads the same as one for a known host's unmatched path, and no reply says who owns what.
 * Texts follow Envoy's where Envoy has one, so both data planes answer alike.
 */
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { RETRY_AFTER_SECONDS, UNAVAILABLE_BODY } from '../../xds/resources/unavailable.js';

export type LocalReplyKind =
  | 'bad-request'
  | 'not-found'
  | 'method-not-allowed'
  | 'request-timeout'
  | 'body-too-large'
  | 'uri-too-long'
  | 'headers-too-large'
  | 'expectation-failed'
  | 'upstream-failure'
  | 'no-healthy-upstream'
  | 'upstream-overflow'
  | 'no-config'
  | 'draining'
  | 'upstream-timeout';

interface LocalReply {
  readonly status: number;
  readonly body: string;
  /** Unavailability that may clear by itself: the client is told when to try again. */
  readonly retryAfter: boolean;
}

const REPLIES: Readonly<Record<LocalReplyKind, LocalReply>> = {
  'bad-request': { status: 400, body: 'bad request', retryAfter: false },
  'not-found': { status: 404, body: 'not found', retryAfter: false },
  'method-not-allowed': { status: 405, body: 'method not allowed', retryAfter: false },
  'request-timeout': { status: 408, body: 'request timeout', retryAfter: false },
  'body-too-large': { status: 413, body: 'request body too large', retryAfter: false },
  'uri-too-long': { status: 414, body: 'request uri too long', retryAfter: false },
  'headers-too-large': { status: 431, body: 'request header fields too large', retryAfter: false },
  'expectation-failed': { status: 417, body: 'expectation failed', retryAfter: false },
  'upstream-failure': { status: 502, body: 'upstream connect error or disconnect/reset before headers', retryAfter: false },
  'no-healthy-upstream': { status: 503, body: UNAVAILABLE_BODY, retryAfter: true },
  'upstream-overflow': { status: 503, body: 'upstream overflow', retryAfter: true },
  'no-config': { status: 503, body: 'no configuration received yet', retryAfter: true },
  'draining': { status: 503, body: 'shutting down', retryAfter: true },
  'upstream-timeout': { status: 504, body: 'upstream request timeout', retryAfter: false },
};

export function localReplyStatus(kind: LocalReplyKind): number {
  return REPLIES[kind].status;
}

export interface LocalReplyOptions {
  /** A reason appended to a 400 body (our own text, never echoed client input). */
  readonly detail?: string;
  /** The request body will not be read: the connection cannot be reused. */
  readonly close?: boolean;
  /** Only for 405. */
  readonly allow?: string;
}

function replyBody(kind: LocalReplyKind, detail: string | undefined): string {
  const { body } = REPLIES[kind];
  return detail === undefined ? `${body}\n` : `${body}: ${detail}\n`;
}

function replyHeaders(kind: LocalReplyKind, body: string, options: LocalReplyOptions): [string, string][] {
  const headers: [string, string][] = [
    ['content-type', 'text/plain; charset=utf-8'],
    ['content-length', String(Buffer.byteLength(body))],
  ];
  if (REPLIES[kind].retryAfter) headers.push(['retry-after', String(RETRY_AFTER_SECONDS)]);
  if (options.allow !== undefined) headers.push(['allow', options.allow]);
  if (options.close) headers.push(['connection', 'close']);
  return headers;
}

/** Answers on a response whose headers are not sent yet. Returns the status sent. */
export function sendLocalReply(res: ServerResponse, kind: LocalReplyKind, options: LocalReplyOptions = {}): number {
  const body = replyBody(kind, options.detail);
  const { status } = REPLIES[kind];
  if (options.close) res.shouldKeepAlive = false;
  res.writeHead(status, replyHeaders(kind, body, options).flat());
  res.end(res.req.method === 'HEAD' ? undefined : body);
  return status;
}

/**
 * Answers on a bare socket (a request Node could not parse, or an upgrade), then closes it:
 * after a framing error nothing else on the connection can be trusted.
 */
export function writeLocalReply(socket: Duplex, kind: LocalReplyKind, options: LocalReplyOptions = {}): number {
  const body = replyBody(kind, options.detail);
  const { status } = REPLIES[kind];
  const headers = replyHeaders(kind, body, { ...options, close: true })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const response = `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? ''}\r\n${headers}\r\n${body}`;
  // Destroyed once written: a peer that never reads must not hold the socket open.
  if (socket.writable) socket.end(response, () => socket.destroy());
  else socket.destroy();
  return status;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  414: 'URI Too Long',
  417: 'Expectation Failed',
  431: 'Request Header Fields Too Large',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
