/**
 * IAM policy documents as plain JSON (no `aws_iam_policy_document` data source),
 * so every granted action is visible in the synthesized JSON. Values may be
 * Terraform tokens (ARNs of other resources); `Fn.jsonencode` resolves them.
 */
import { Fn } from 'cdktf';

export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export function policyDocument(...statements: Statement[]): string {
  return Fn.jsonencode({ Version: '2012-10-17', Statement: statements });
}

export function assumeRolePolicy(service: string): string {
  return policyDocument({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
}

/** IAM's limit on all inline policies of one role together, whitespace not counted. */
export const ROLE_INLINE_POLICY_LIMIT_CHARS = 10_240;

/**
 * The most characters one unresolved value (a Terraform reference) can take in
 * these policies: the longest is an Auto Scaling group ARN, about 175 characters
 * with a 44-character group name and the longest partition and region.
 */
export const TOKEN_CHARS_BOUND = 200;

/** A cdktf token inside a string: `${TfToken[TOKEN.12]}`. */
const TOKEN = /\$\{TfToken\[[^\]]+\]\}/g;

/**
 * An upper bound of the characters IAM counts for this policy once Terraform
 * has resolved every reference: the document without whitespace, each token
 * counted as `TOKEN_CHARS_BOUND`.
 */
export function policySizeEstimate(statements: readonly Statement[]): number {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const tokens = text.match(TOKEN) ?? [];
  return text.replace(TOKEN, '').length + tokens.length * TOKEN_CHARS_BOUND;
}
