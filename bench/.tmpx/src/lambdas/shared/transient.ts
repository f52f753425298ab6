/**
 * Errors that say "try again": throttling, a service's 5xx, a timed-out
 * attempt. The SDK has already retried them MAX_ATTEMPTS times when they
 * reach a function; a function may poll once more or hand the event back to
 * Lambda, but never treats them as an answer.
 */
const TRANSIENT_NAMES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'TooManyUpdates',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'ServerException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

export function isTransientError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (TRANSIENT_NAMES.has(e.name)) return true;
  const meta = (e as { $fault?: string; $metadata?: { httpStatusCode?: number } });
  return meta.$fault === 'server' || (meta.$metadata?.httpStatusCode ?? 0) >= 500;
}

/** The error's name, for AWS error codes (`ParameterNotFound`, `ValidationError`, …). */
export function errorName(e: unknown): string | undefined {
  return e instanceof Error ? e.name : undefined;
}

export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** "ThrottlingException: Rate exceeded", for logs and alerts. */
export function describeError(e: unknown): string {
  const error = asError(e);
  return `${error.name}: ${error.message}`;
}
