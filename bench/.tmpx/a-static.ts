import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { ssm } from '../../src/lambdas/shared/clients';
import { pub } from './b';
export const handler = async () => { await ssm().send(new GetParameterCommand({ Name: 'x' })); return pub(); };
