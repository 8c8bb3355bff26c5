/**
 * Requests Node's parser refused before any handler saw them. Node's default answers
 * correctly but silently; the router answers the same statuses with its own small bodies and
 * tells the caller, so they are counted like every other reply.
 */
import type { Duplex } from 'node:stream';
import { writeLocalReply, type LocalReplyKind } from './local-reply.js';

const CLIENT_ERROR_REPLIES: Readonly<Record<string, LocalReplyKind>> = {
  HPE_HEADER_OVERFLOW: 'headers-too-large',
  // The request head did not arrive within headersTimeout (slowloris).
  ERR_HTTP_REQUEST_TIMEOUT: 'request-timeout',
  HPE_HEADERS_TIMEOUT: 'request-timeout',
};

/** Returns the status sent, or undefined when the peer was already gone. */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): number | undefined {
  // A reset peer cannot read an answer; a response already under way must not get a second head.
  const inProgress = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent) {
    socket.destroy();
    return undefined;
  }
  const kind = CLIENT_ERROR_REPLIES[error.code ?? ''] ?? 'bad-request';
  return writeLocalReply(socket, kind);
}
