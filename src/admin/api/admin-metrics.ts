/**
 * The admin API's own metrics. Labels come from bounded sets only: methods and status
 * codes the API answers with, and for refusals the namespace a token is bound to (from the
 * tokens file), never a namespace or path a client typed.
 */
import { Counter, Registry } from 'prom-client';

export class AdminMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'triggerway_admin_requests_total',
    help: 'Admin API requests answered, by method and status code.',
    labelNames: ['method', 'code'] as const,
    registers: [this.registry],
  });
  readonly denied = new Counter({
    name: 'triggerway_admin_denied_total',
    help: 'Admin API requests refused with 403, by the namespace of the tenant token that asked ("" for platform tokens).',
    labelNames: ['namespace'] as const,
    registers: [this.registry],
  });
  readonly unauthenticated = new Counter({
    name: 'triggerway_admin_unauthenticated_total',
    help: 'Admin API requests refused with 401: no token, or one the tokens file does not hold.',
    registers: [this.registry],
  });

  answered(method: string, code: number): void {
    this.requests.inc({ method: KNOWN_METHODS.has(method) ? method : 'other', code: String(code) });
  }
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'POST', 'PATCH', 'OPTIONS']);
