import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { describeAwsFailure } from '../../../src/cli/aws/errors';
import { awsError, serverError, throttling, timeoutError } from '../../support/aws-errors';

const DENIED_MESSAGE = 'User: arn:aws:iam::123456789012:user/ana is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:eu-west-1:123456789012:parameter/gm/mc/session because no identity-based policy allows the ssm:GetParameter action';

describe('AWS failures as one line', () => {
  it('says how to set credentials when there are none', () => {
    const e = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(describeAwsFailure(e)).toBe(
      'no AWS credentials found: run `aws configure` (or `aws sso login --profile <name>`), or pass --profile <name>, or set AWS_PROFILE',
    );
  });

  it('says to renew expired credentials', () => {
    expect(describeAwsFailure(awsError('ExpiredTokenException', 'The security token included in the request is expired'))).toMatch(/^your AWS credentials have expired/);
  });

  it('names the denied action and resource from AWS\'s message', () => {
    expect(describeAwsFailure(awsError('AccessDeniedException', DENIED_MESSAGE))).toBe(
      'AWS denied ssm:GetParameter on arn:aws:ssm:eu-west-1:123456789012:parameter/gm/mc/session: your credentials need that permission (npm run --silent gm -- policy prints the policy gm needs)',
    );
  });

  it('names the action EC2 refuses (UnauthorizedOperation)', () => {
    const e = awsError('UnauthorizedOperation', 'You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/ana is not authorized to perform: ec2:DescribeInstances because no identity-based policy allows the ec2:DescribeInstances action.');
    expect(describeAwsFailure(e)).toMatch(/^AWS denied ec2:DescribeInstances: /);
  });

  it.each([['throttling', throttling], ['a 5xx', serverError], ['a timeout', timeoutError]])('says to try again after %s outlasted the retries', (_label, fault) => {
    expect(describeAwsFailure(fault())).toMatch(/^AWS kept answering \w+ after 5 attempts: try again in a minute$/);
  });

  it('says the network is down when AWS cannot be reached', () => {
    const e = Object.assign(new Error('getaddrinfo ENOTFOUND ssm.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND' });
    expect(describeAwsFailure(e)).toBe('cannot reach AWS (ENOTFOUND): check your network connection and the region');
  });

  it('leaves errors that are not AWS failures to the caller (a bug keeps its stack)', () => {
    expect(describeAwsFailure(new TypeError('x is undefined'))).toBeUndefined();
    expect(describeAwsFailure('a string')).toBeUndefined();
  });

  describe('with the real SDK client', () => {
    let server: Server;
    const saved = { ...process.env };

    beforeAll(async () => {
      // SSM speaks JSON 1.1: the error code in x-amzn-ErrorType, here without the action in the message.
      server = createServer((_req, res) => {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'AccessDeniedException' });
        res.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'Access denied' }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      Object.assign(process.env, {
        AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'secret',
      });
    });

    afterAll(async () => {
      process.env = saved;
      await new Promise((resolve) => server.close(resolve));
    });

    it('names the action from the call when AWS\'s message does not', async () => {
      // A region no other test uses: the clients are made once per region.
      const { ssm } = await import('../../../src/lambdas/shared/clients');
      const failure = await ssm('ap-south-2').send(new GetParameterCommand({ Name: '/gm/mc/session' })).then(() => undefined, (e: unknown) => e);
      expect(describeAwsFailure(failure)).toBe('AWS denied ssm:GetParameter: your credentials need that permission (npm run --silent gm -- policy prints the policy gm needs)');
    });
  });
});
