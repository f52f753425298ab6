/** The notifier's one AWS read: the webhook URL the user keeps in an SSM SecureString. */
import { readSecureParameter } from '../shared/parameters';
import { step } from '../shared/steps';

/** The decrypted parameter value; undefined when the parameter does not exist. */
export async function readWebhookParameter(name: string): Promise<string | undefined> {
  return step('read webhook parameter', () => readSecureParameter(name));
}
