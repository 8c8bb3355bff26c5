/**
 * One pass over a request's raw header lines: what routing and the forwarding rules need to
 * know, without touching `req.headers` (Node builds that object lazily and, worse, silently
 * drops a duplicate Host, which RFC 9112 §3.2 says must be a 400).
 */
import { connectionOptions } from './hop-by-hop.js';

export interface RequestHead {
  /** Lower-case names, index i for rawHeaders[2i]. */
  readonly names: string[];
  host: string | undefined;
  hostCount: number;
  /** Fields named by `Connection` (lower-case); undefined when there is none. */
  connectionOptions: Set<string> | undefined;
  /** Every x-forwarded-for value, joined as one list. */
  forwardedFor: string | undefined;
  contentLength: string | undefined;
  transferEncoding: boolean;
  /** Name and value bytes, as Envoy counts them against max_request_headers_kb. */
  bytes: number;
  /** A name with an underscore (Envoy's headers_with_underscores_action). */
  underscore: boolean;
  expectContinue: boolean;
  /** The client's x-request-id, if any. */
  requestId: string | undefined;
  /** A gRPC request (content-type application/grpc*): gRPC clients follow no redirects. */
  grpc: boolean;
}

export function inspectRequestHead(raw: readonly string[]): RequestHead {
  const names = new Array<string>(raw.length >> 1);
  const head: RequestHead = {
    names,
    host: undefined,
    hostCount: 0,
    connectionOptions: undefined,
    forwardedFor: undefined,
    contentLength: undefined,
    transferEncoding: false,
    bytes: 0,
    underscore: false,
    expectContinue: false,
    grpc: false,
    requestId: undefined,
  };
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    names[i >> 1] = name;
    head.bytes += name.length + value.length;
    if (name.includes('_')) head.underscore = true;
    switch (name) {
      case 'host':
        head.host = value;
        head.hostCount++;
        break;
      case 'connection':
        head.connectionOptions = connectionOptions(value, head.connectionOptions);
        break;
      case 'x-forwarded-for':
        head.forwardedFor = head.forwardedFor === undefined ? value : `${head.forwardedFor}, ${value}`;
        break;
      case 'content-length':
        head.contentLength = value;
        break;
      case 'transfer-encoding':
        head.transferEncoding = true;
        break;
      case 'content-type':
        if (value.startsWith('application/grpc')) head.grpc = true;
        break;
      case 'x-request-id':
        head.requestId = value;
        break;
      case 'expect':
        if (value.toLowerCase() === '100-continue') head.expectContinue = true;
        break;
    }
  }
  return head;
}

/** Whether the request has a body to stream (llhttp has already vetted the framing). */
export function hasRequestBody(head: RequestHead): boolean {
  return head.transferEncoding || (head.contentLength !== undefined && head.contentLength !== '0');
}
