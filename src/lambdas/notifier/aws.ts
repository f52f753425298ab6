/** The notifier's one AWS read. The client is created on first use and wrapped for `--dry-run`. */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { lazyClient } from '../shared/aws-clients';
import { step } from '../shared/steps';

const ssmClient = lazyClient((c) => new SSMClient(c));

/** The decrypted value; undefined (and logged by the caller) when the parameter does not exist. */
export async function readSecureParameter(name: string): Promise<string | undefined> {
  try {
    const out = await step('ssm.GetParameter', () => ssmClient().send(new GetParameterCommand({ Name: name, WithDecryption: true })));
    return out.Parameter?.Value;
  } catch (e) {
    if ((e as Error).name === 'ParameterNotFound') return undefined;
    throw e;
  }
}
