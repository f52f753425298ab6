import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { ssm } from '../../src/lambdas/shared/clients';
export const handler = async () => { await ssm().send(new GetParameterCommand({ Name: 'x' })); const { pub } = await import('./b'); return pub(); };
