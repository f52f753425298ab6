/**
 * AWS errors as a function sees them: what the SDK throws once its own
 * retries are spent (aws-sdk-client-mock replaces `send`, so one injected
 * error stands for a call that failed every attempt).
 */

/** A service's error response: the name is the AWS error code; `$fault` follows the HTTP status, as in the SDK. */
export function awsError(name: string, message = name, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode } });
}

export const throttling = (): Error => awsError('ThrottlingException', 'Rate exceeded');
export const serverError = (): Error => awsError('InternalFailure', 'We encountered an internal error. Please try again.', 500);
/** An attempt that outlived the client's request timeout, as @smithy/node-http-handler throws it (no response, so no status). */
export const timeoutError = (): Error => Object.assign(new Error('Connection timed out after 10000 ms'), { name: 'TimeoutError' });

/** The faults every AWS call is tested against (`describe.each(TRANSIENT_FAULTS)('under %s', (_label, fault) => …)`). */
export const TRANSIENT_FAULTS: readonly (readonly [label: string, fault: () => Error])[] = [
  ['throttling', throttling],
  ['a 5xx', serverError],
  ['a call that hangs past the client timeout', timeoutError],
];
