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
