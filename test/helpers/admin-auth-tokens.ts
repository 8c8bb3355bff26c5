/** Tokens and tokens files for the admin-auth tests. */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';

/** Distinct, recognisable secrets: a test can search any output for a telltale part of one. */
export const PLATFORM_TOKEN = 'plat-SECRETvalue-0123456789abcdef';
export const TEAM_A_TOKEN = 'teamA-SECRETvalue-fedcba9876543210';
export const TEAM_B_TOKEN = 'teamB-SECRETvalue-00112233445566';
/** A part every secret above shares and no message has reason to contain. */
export const SECRET_MARK = 'SECRETvalue';

export interface TokenSpec {
  readonly name: string;
  readonly token?: string;
  readonly sha256?: string;
  readonly role?: string;
  readonly namespace?: string;
}

/** `platform-ops` (platform), `team-a-ci` (tenant of team-a) and `team-b-ci` (team-b, as a digest). */
export const STANDARD_TOKENS: readonly TokenSpec[] = [
  { name: 'platform-ops', token: PLATFORM_TOKEN, role: 'platform' },
  { name: 'team-a-ci', token: TEAM_A_TOKEN, namespace: 'team-a' },
  { name: 'team-b-ci', sha256: sha256Hex(TEAM_B_TOKEN), namespace: 'team-b' },
];

export function sha256Hex(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function tokensYaml(tokens: readonly TokenSpec[]): string {
  return stringify({ tokens });
}
