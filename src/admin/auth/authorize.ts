/**
 * What a token's scope allows. A platform token may do everything. A tenant token may
 * read and write HTTPTriggers of its own namespace, read its own Tenant (its policy) and
 * read status (which the API filters to its namespace); nothing else. Pure, and meant to
 * run before the API looks anything up: the decision and its reason depend only on the
 * scope and the request, which names no object, so a refusal reads the same whether or
 * not what was asked for exists.
 */
import { describeValue } from '../../model/issues.js';
import type { ApiScope } from '../api/api-types.js';

export type AccessAction = 'get' | 'list' | 'put' | 'delete';
export type AccessKind = 'HTTPTrigger' | 'HostGroup' | 'Tenant' | 'status';

export interface AccessRequest {
  readonly action: AccessAction;
  readonly kind: AccessKind;
  /** HTTPTrigger: the target namespace (absent: all namespaces). Tenant: its name. */
  readonly namespace?: string;
}

/** `reason` goes back to the caller as the 403 message: one sentence naming the token's namespace and what was refused. */
export type AccessDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

const ALLOWED: AccessDecision = Object.freeze({ allowed: true });
const VERBS: Readonly<Record<AccessAction, string>> = { get: 'read', list: 'list', put: 'write', delete: 'delete' };

/** `tokenName`, when given, names the token in the reason (its name, never the token). */
export function authorize(scope: ApiScope, request: AccessRequest, tokenName?: string): AccessDecision {
  if (scope.role === 'platform') return ALLOWED;
  const own = scope.namespace;
  const token = tokenName === undefined ? 'this token' : `token ${describeValue(tokenName)}`;
  const refuse = (what: string): AccessDecision => ({
    allowed: false,
    reason: `${token} is bound to namespace ${describeValue(own)} and may not ${what}`,
  });
  const verb = VERBS[request.action];
  switch (request.kind) {
    case 'HTTPTrigger':
      if (request.namespace === own) return ALLOWED;
      if (request.namespace === undefined) return refuse(`${verb} HTTPTriggers across all namespaces, only in ${describeValue(own)}`);
      return refuse(`${verb} HTTPTriggers in namespace ${describeValue(request.namespace)}`);
    case 'Tenant':
      if (request.action === 'get' && request.namespace === own) return ALLOWED;
      if (request.action === 'put' || request.action === 'delete') return refuse(`${verb} Tenants: tenant policy is set with a platform token`);
      if (request.action === 'list') return refuse(`list Tenants, only read its own Tenant ${describeValue(own)}`);
      return refuse(`read ${request.namespace === undefined ? 'Tenants' : `Tenant ${describeValue(request.namespace)}`}, only its own Tenant ${describeValue(own)}`);
    case 'HostGroup':
      return refuse(`${verb} HostGroups: they are managed with a platform token`);
    case 'status':
      if (request.action === 'get' || request.action === 'list') return ALLOWED;
      return refuse(`${verb} status: it is read-only`);
  }
}
