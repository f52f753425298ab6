import { PublishCommand } from '@aws-sdk/client-sns';
import { sns } from '../../src/lambdas/shared/clients';
export async function pub() { return sns().send(new PublishCommand({ TopicArn: 'x', Message: 'y' })); }
