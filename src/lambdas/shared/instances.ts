/**
 * One EC2 instance as the functions and `gm status` read it: the addresses
 * (the IPv6 one chosen as the instance hook writes it to DNS, so `gm status`
 * shows what players are sent to), the launch time, state and type.
 */
import { DescribeInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import { ec2 } from './clients';
import { errorName } from './transient';

export interface InstanceFacts {
  readonly ipv4?: string;
  readonly ipv6?: string;
  readonly launchTime?: Date;
  readonly state?: string;
  readonly instanceType?: string;
}

function instanceFacts(instance: Instance): InstanceFacts {
  const ipv6 =
    instance.Ipv6Address ??
    instance.NetworkInterfaces?.flatMap((ni) => ni.Ipv6Addresses ?? []).find((a) => a.IsPrimaryIpv6)?.Ipv6Address ??
    instance.NetworkInterfaces?.[0]?.Ipv6Addresses?.[0]?.Ipv6Address;
  return {
    ...(instance.PublicIpAddress ? { ipv4: instance.PublicIpAddress } : {}),
    ...(ipv6 ? { ipv6 } : {}),
    ...(instance.LaunchTime ? { launchTime: instance.LaunchTime } : {}),
    ...(instance.State?.Name ? { state: instance.State.Name } : {}),
    ...(instance.InstanceType ? { instanceType: instance.InstanceType } : {}),
  };
}

/** The instance's facts; undefined while EC2 does not know it (yet: EC2 is eventually consistent; or any more). */
export async function describeInstance(instanceId: string, region?: string): Promise<InstanceFacts | undefined> {
  try {
    const out = await ec2(region).send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const instance = out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
    return instance ? instanceFacts(instance) : undefined;
  } catch (e) {
    if (errorName(e) === 'InvalidInstanceID.NotFound') return undefined;
    throw e;
  }
}
