/**
 * One reader of an EC2 instance for the instance hook and `gm status`: the
 * IPv6 address is the one the hook writes to DNS (the primary one), so
 * `gm status` shows the address players are sent to.
 */
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { describeHost } from '../../../src/cli/game-status/aws';
import { describeInstance } from '../../../src/lambdas/shared/instances';
import { awsError } from '../../support/aws-errors';

const ec2 = mockClient(EC2Client);
const ID = 'i-0123456789abcdef0';

beforeEach(() => ec2.reset());
afterAll(() => ec2.restore());

function answer(networkInterfaces: { Ipv6Addresses: { Ipv6Address: string; IsPrimaryIpv6?: boolean }[] }[]): void {
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [{ Instances: [{
      InstanceId: ID, InstanceType: 't4g.medium', State: { Code: 16, Name: 'running' }, LaunchTime: new Date('2026-11-30T10:00:00Z'),
      PublicIpAddress: '198.51.100.7', NetworkInterfaces: networkInterfaces,
    }] }],
  });
}

it('takes the primary IPv6 address, as DNS gets it, for the hook and for gm status alike', async () => {
  answer([{ Ipv6Addresses: [{ Ipv6Address: '2001:db8::a', IsPrimaryIpv6: false }, { Ipv6Address: '2001:db8::b', IsPrimaryIpv6: true }] }]);
  expect(await describeInstance(ID, 'eu-west-1')).toMatchObject({ ipv4: '198.51.100.7', ipv6: '2001:db8::b', state: 'running', instanceType: 't4g.medium' });
  expect(await describeHost(ID, 'eu-west-1')).toEqual({
    instanceId: ID, state: 'running', instanceType: 't4g.medium', launchTime: '2026-11-30T10:00:00.000Z', ipv4: '198.51.100.7', ipv6: '2001:db8::b',
  });
});

it('takes the first IPv6 address when none is marked primary, and none when there is none', async () => {
  answer([{ Ipv6Addresses: [{ Ipv6Address: '2001:db8::c' }] }]);
  expect((await describeInstance(ID))?.ipv6).toBe('2001:db8::c');
  answer([]);
  expect(await describeHost(ID, 'eu-west-1')).not.toHaveProperty('ipv6');
});

it('is undefined for an instance EC2 does not know (yet, or any more)', async () => {
  ec2.on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound', `The instance ID '${ID}' does not exist`));
  expect(await describeInstance(ID)).toBeUndefined();
  expect(await describeHost(ID, 'eu-west-1')).toBeUndefined();
});
