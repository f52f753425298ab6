/**
 * SSM parameters (String) where the functions keep the game's state: read,
 * write, create only when absent (SSM does this atomically, which is what
 * makes a session claim exclusive) and delete.
 */
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { ssm } from './clients';
import { errorName, isTransientError } from './transient';

/** The value, or undefined when the parameter does not exist. */
export async function readParameter(name: string, region?: string): Promise<string | undefined> {
  return read(new GetParameterCommand({ Name: name }), region);
}

/** The decrypted value of a SecureString (a secret the user stored), or undefined when the parameter does not exist. */
export async function readSecureParameter(name: string, region?: string): Promise<string | undefined> {
  return read(new GetParameterCommand({ Name: name, WithDecryption: true }), region);
}

async function read(command: GetParameterCommand, region: string | undefined): Promise<string | undefined> {
  try {
    const out = await ssm(region).send(command);
    return out.Parameter?.Value;
  } catch (e) {
    if (errorName(e) === 'ParameterNotFound') return undefined;
    throw e;
  }
}

export async function writeParameter(name: string, value: string, region?: string): Promise<void> {
  await ssm(region).send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }));
}

/**
 * Creates the parameter; false when it exists already (someone else created
 * it first). An attempt can time out after SSM applied it, and the SDK's
 * retry then finds the parameter: so when the call fails either way, the
 * value is read back, and a value equal to ours means the creation was ours.
 */
export async function createParameter(name: string, value: string, region?: string): Promise<boolean> {
  try {
    await ssm(region).send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: false }));
    return true;
  } catch (e) {
    const exists = errorName(e) === 'ParameterAlreadyExists';
    if (!exists && !isTransientError(e)) throw e;
    const stored = await readParameter(name, region);
    if (stored === value) return true;
    if (stored !== undefined) return false;
    if (exists) return createParameter(name, value, region); // deleted in between: try again
    throw e;
  }
}

/** Deletes the parameter; a parameter already gone is fine. */
export async function deleteParameter(name: string, region?: string): Promise<void> {
  try {
    await ssm(region).send(new DeleteParameterCommand({ Name: name }));
  } catch (e) {
    if (errorName(e) !== 'ParameterNotFound') throw e;
  }
}
