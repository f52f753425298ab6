/**
 * AWS clients for the functions. With `GM_DRY_RUN=1` (set by
 * `gm lambda … --dry-run`) every call that changes something is printed and
 * answered with an empty result instead of being sent; reads still go out.
 */
import type { MiddlewareStack } from '@smithy/types';

const READ_ONLY = /^(Describe|Get|List|Search|Query|Scan|Batch?Get|Head|Lookup|Test)/;

export function isDryRun(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GM_DRY_RUN === '1' || env.GM_DRY_RUN === 'true';
}

/** Adds the dry-run interceptor to a client when dry-run is on; returns the client. */
// `any`: the interceptor works on every client's input and output shapes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withDryRun<C extends { middlewareStack: MiddlewareStack<any, any> }>(client: C, env: NodeJS.ProcessEnv = process.env): C {
  if (!isDryRun(env)) return client;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName ?? 'UnknownCommand');
      if (READ_ONLY.test(command)) return next(args);
      console.log(`[dry-run] ${context.clientName ?? 'client'}.${command} ${JSON.stringify(args.input)}`);
      return { output: { $metadata: {} } as never, response: {} as never };
    },
    { step: 'initialize', name: 'gmDryRun', priority: 'high' },
  );
  return client;
}

/** IAM's service prefix for each client (the prefix of its actions). */
const IAM_PREFIX: Readonly<Record<string, string>> = {
  AutoScalingClient: 'autoscaling', BackupClient: 'backup', CloudWatchClient: 'cloudwatch', CloudWatchLogsClient: 'logs',
  EC2Client: 'ec2', EC2InstanceConnectClient: 'ec2-instance-connect', ECSClient: 'ecs', EFSClient: 'elasticfilesystem',
  EventBridgeClient: 'events', Route53Client: 'route53', SNSClient: 'sns', SSMClient: 'ssm', STSClient: 'sts',
};

/** The IAM action a failed call was (`ssm:GetParameter`), set on errors by every client: an access-denied message can name it. */
export function failedAction(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && '$action' in e && typeof e.$action === 'string' ? e.$action : undefined;
}

// `any`: see withDryRun.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function withFailedAction<C extends { middlewareStack: MiddlewareStack<any, any> }>(client: C): C {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (e) {
        const service = IAM_PREFIX[String(context.clientName ?? '')];
        const command = String(context.commandName ?? '').replace(/Command$/, '');
        if (service && command && typeof e === 'object' && e !== null) Object.assign(e, { $action: `${service}:${command}` });
        throw e;
      }
    },
    { step: 'initialize', name: 'gmFailedAction', priority: 'low' },
  );
  return client;
}

/**
 * SDK attempts per call (the default is 3): five attempts with the SDK's
 * backoff ride out a throttling burst; what still fails makes the function
 * fail, so Lambda (or the next scheduled run, or the failsafe) tries again.
 */
export const MAX_ATTEMPTS = 5;

/**
 * How long one HTTP attempt may take before the SDK gives up on it and
 * retries: a call that hangs must fail inside the function's own timeout,
 * visibly, rather than let Lambda kill the invocation mid-step.
 */
export const REQUEST_TIMEOUT_MS = 10_000;
export const CONNECTION_TIMEOUT_MS = 3_000;

export interface ClientConfig {
  readonly maxAttempts: number;
  readonly region?: string;
  readonly requestHandler: { readonly requestTimeout: number; readonly connectionTimeout: number; readonly throwOnRequestTimeout: true };
}

/**
 * Clients made on first use and kept for the life of the Lambda container,
 * one per region (the function's own when none is given), so importing a
 * handler needs no environment; attempts, timeouts and `--dry-run` applied.
 */
// `any`: see withDryRun.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lazyClient<C extends { middlewareStack: MiddlewareStack<any, any> }>(create: (config: ClientConfig) => C): (region?: string) => C {
  const clients = new Map<string, C>();
  return (region) => {
    let client = clients.get(region ?? '');
    if (!client) {
      client = withFailedAction(withDryRun(
        create({
          maxAttempts: MAX_ATTEMPTS,
          ...(region ? { region } : {}),
          // Without throwOnRequestTimeout the SDK only logs a warning and keeps waiting.
          requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: CONNECTION_TIMEOUT_MS, throwOnRequestTimeout: true },
        }),
      ));
      clients.set(region ?? '', client);
    }
    return client;
  };
}
