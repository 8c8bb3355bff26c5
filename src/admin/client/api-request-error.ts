/**
 * The admin API said no: a non-2xx answer, with the API's code, sentence and field details
 * (api-types.ts ApiError). Kept apart from transport failures, which are plain Errors: a
 * refusal concerns one object, an unreachable server concerns every request.
 */
import { STATUS_CODES } from 'node:http';
import { isRecord } from './json-value.js';

export interface ApiErrorDetail {
  readonly field: string;
  readonly message: string;
}

export class ApiRequestError extends Error {
  constructor(
    /** The HTTP status. */
    readonly status: number,
    /** The API's code (`Forbidden`, `Conflict`, ...), or the HTTP reason phrase when the body was not an ApiError. */
    readonly code: string,
    message: string,
    readonly details: readonly ApiErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }

  /** `token may not write namespace team-b (403 Forbidden)`, then one `field: message` line per detail. */
  describe(): string {
    return [`${this.message} (${this.status} ${this.code})`, ...this.details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message))].join('\n');
  }
}

/**
 * Reads an error answer. Anything between us and the API (a proxy's HTML 502, a bare 404)
 * still yields a status, a code and a short message instead of a parse failure. `secret`
 * (the bearer token) is cut out of every string taken from the answer: a server or proxy
 * that echoes the request's headers must not get the token printed.
 */
export function apiRequestError(status: number, text: string, secret: string): ApiRequestError {
  const clean = (value: string): string => (secret ? value.split(secret).join('[redacted]') : value);
  const reason = STATUS_CODES[status] ?? `HTTP ${status}`;
  const body = parseJson(text);
  const error = isRecord(body) && isRecord(body['error']) ? body['error'] : undefined;
  if (error && typeof error['message'] === 'string') {
    const code = typeof error['code'] === 'string' ? clean(error['code']) : reason;
    const fieldDetails = details(error['details']).map((d) => ({ field: clean(d.field), message: clean(d.message) }));
    return new ApiRequestError(status, code, clean(error['message']), fieldDetails);
  }
  const firstLine = clean(text.trim().split('\n')[0] ?? '').slice(0, 200);
  return new ApiRequestError(status, reason, firstLine || `the server answered ${status} ${reason}`);
}

function details(value: unknown): ApiErrorDetail[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(isRecord)
    .map((d) => ({ field: typeof d['field'] === 'string' ? d['field'] : '', message: typeof d['message'] === 'string' ? d['message'] : '' }));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
