/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750 section 2.1): the scheme
 * in any case, one or more spaces, then exactly one b64token. Anything else (another
 * scheme, no credential, two credentials, stray characters) is no token at all, so the
 * request is answered 401 without any lookup.
 */

/** RFC 6750 b64token. parseTokensFile holds configured tokens to it, so every one can be presented. */
export const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

const BEARER = /^bearer +([^ ]+)$/i;

export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const token = BEARER.exec(authorization)?.[1];
  return token !== undefined && B64TOKEN.test(token) ? token : undefined;
}
