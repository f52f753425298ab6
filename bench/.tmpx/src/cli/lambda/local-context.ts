import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** The longest a Lambda function may run; local runs get the same budget. */
const MAX_LAMBDA_TIMEOUT_MS = 15 * 60 * 1000;

/**
 * A Lambda context for running a handler on this machine: the fields a
 * handler (or Powertools) reads, with names that show it is not a real
 * invocation.
 */
export function createLocalContext(lambdaName: string, env: NodeJS.ProcessEnv = process.env, now: () => number = Date.now): Context {
  const functionName = `gm-local-${lambdaName}`;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const deadline = now() + MAX_LAMBDA_TIMEOUT_MS;
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name}() is not supported by gm lambda: return a value (or a promise) from the handler instead`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}
