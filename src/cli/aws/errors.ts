/**
 * AWS failures as one line a person can act on, instead of an SDK stack:
 * no credentials, expired credentials, a missing permission (named), a
 * throttle that outlasted the SDK's retries, an unreachable endpoint.
 * Anything else is not an AWS failure and is left to the caller.
 */
import { failedAction } from '../../lambdas/shared/aws-clients';
import { isTransientError } from '../../lambdas/shared/transient';

/** Where a denied user finds the permissions gm needs. */
const POLICY_HINT = '(npm run --silent gm -- policy prints the policy gm needs)';

const NO_CREDENTIALS = new Set(['CredentialsProviderError', 'ProviderError', 'TokenProviderError']);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);
const INVALID_CREDENTIALS = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'AuthFailure']);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException', 'NotAuthorized']);
const UNREACHABLE = new Set(['ENOTFOUND', 'ECONNREFUSED', 'EAI_AGAIN', 'ENETUNREACH', 'ECONNRESET']);

/** The action an access-denied message names ("… is not authorized to perform: ssm:GetParameter on resource: …"). */
function deniedAction(e: Error): { action?: string; resource?: string } {
  const match = /perform:? ([a-z0-9-]+:[A-Za-z0-9]+)(?: on resource:? (\S+))?/.exec(e.message);
  return { action: match?.[1] ?? failedAction(e), resource: match?.[2]?.replace(/[.,;]$/, '') };
}

/** One line for an AWS failure, or undefined when `e` is something else. */
export function describeAwsFailure(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as { code?: string }).code;
  if (NO_CREDENTIALS.has(e.name) || /Could not load credentials/i.test(e.message)) {
    return 'no AWS credentials found: run `aws configure` (or `aws sso login --profile <name>`), or pass --profile <name>, or set AWS_PROFILE';
  }
  if (EXPIRED.has(e.name) || /token.*(expired|has expired)/i.test(e.message)) {
    return 'your AWS credentials have expired: renew them (`aws sso login`, or new keys) and run the command again';
  }
  if (INVALID_CREDENTIALS.has(e.name)) {
    return `AWS did not accept your credentials (${e.name}): check the keys or profile in use (\`aws sts get-caller-identity\`)`;
  }
  if (DENIED.has(e.name) || /not authorized to perform/i.test(e.message)) {
    const { action, resource } = deniedAction(e);
    return action
      ? `AWS denied ${action}${resource ? ` on ${resource}` : ''}: your credentials need that permission ${POLICY_HINT}`
      : `AWS denied the request (${e.message.split('\n')[0]}): your credentials lack a permission ${POLICY_HINT}`;
  }
  if (isTransientError(e)) {
    const action = failedAction(e);
    return `AWS kept answering ${e.name}${action ? ` to ${action}` : ''} after 5 attempts: try again in a minute`;
  }
  if ((code && UNREACHABLE.has(code)) || UNREACHABLE.has(e.name)) {
    return `cannot reach AWS (${code ?? e.name}): check your network connection and the region`;
  }
  const meta = (e as { $metadata?: unknown; $fault?: unknown });
  if (meta.$metadata !== undefined || meta.$fault !== undefined) {
    const action = failedAction(e);
    return `AWS refused ${action ?? 'a request'}: ${e.name}: ${e.message.split('\n')[0]}`;
  }
  return undefined;
}
