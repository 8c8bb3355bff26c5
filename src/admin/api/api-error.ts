/**
 * A failure the admin API answers with: an HTTP status, a stable code from the API's table
 * (api-types.ts) and a sentence that says what is wrong and where. Thrown by the pure
 * request steps and turned into a JSON body at the edge, so every refusal has one shape.
 */
import type { ApiError, ApiErrorCode } from './api-types.js';

export type FieldDetail = { readonly field: string; readonly message: string };

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: readonly FieldDetail[],
    /** Headers the answer needs (`Allow` on 405, `WWW-Authenticate` on 401). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiFailure';
  }

  body(): ApiError {
    return { error: { code: this.code, message: this.message, ...(this.details && { details: this.details }) } };
  }
}

export const badRequest = (message: string): ApiFailure => new ApiFailure(400, 'BadRequest', message);
export const notFound = (message: string): ApiFailure => new ApiFailure(404, 'NotFound', message);
export const conflict = (message: string): ApiFailure => new ApiFailure(409, 'Conflict', message);
