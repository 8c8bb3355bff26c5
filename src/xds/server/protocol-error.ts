/** A request that breaks the protocol: the stream ends with this gRPC status and message. */
import { status } from '@grpc/grpc-js';

export class ProtocolError extends Error {
  readonly code: status;

  constructor(code: status, message: string) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
  }
}

export function invalidArgument(message: string): ProtocolError {
  return new ProtocolError(status.INVALID_ARGUMENT, message);
}
