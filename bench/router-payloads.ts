/**
 * What bench/router sends: the three request shapes, the virtual host every request names,
 * and the backend's bodies. Shared by the backend, the load generators and the checks.
 */
export const BENCH_HOST = 'bench.example.com';

/** The small GET's response body: 13 bytes. */
export const SMALL_BODY = 'hello, world\n';
export const LARGE_BYTES = 64 * 1024;
export const ECHO_BYTES = 16 * 1024;

export type PayloadName = 'small' | '64k' | 'echo';

export interface Payload {
  readonly name: PayloadName;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Request body size (0: none). */
  readonly requestBytes: number;
  readonly label: string;
}

export const PAYLOADS: readonly Payload[] = [
  { name: 'small', method: 'GET', path: '/small', requestBytes: 0, label: `GET ${SMALL_BODY.length} B` },
  { name: '64k', method: 'GET', path: '/64k', requestBytes: 0, label: 'GET 64 KiB' },
  { name: 'echo', method: 'POST', path: '/echo', requestBytes: ECHO_BYTES, label: 'POST 16 KiB echo' },
];

/** The body a POST payload sends (the echo's response is the same bytes). */
export const requestBody = (payload: Payload): Buffer => Buffer.alloc(payload.requestBytes, 'x');
