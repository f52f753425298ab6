/**
 * The deployment `gm shell` and `gm files` tests run against: a config file
 * in a temp folder with a one-volume game (mc), a two-volume game (valheim)
 * and one without volumes, and the Auto Scaling answers for its groups in
 * the shape DescribeAutoScalingGroups documents.
 */
import type { AutoScalingGroup, LifecycleState } from '@aws-sdk/client-auto-scaling';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deploymentYaml } from '../../support/deployment-yaml';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const INSTANCE_ID = 'i-0123456789abcdef0';

const CONFIG_YAML = deploymentYaml(`
  mc:
    image: itzg/minecraft-server:java21
    instanceType: t4g.medium
    ports:
      - port: 25565
    volumes:
      - path: /data
  valheim:
    image: lloesche/valheim-server
    instanceType: t3.medium
    ports:
      - port: 2456
        protocol: udp
    volumes:
      - path: /config
      - path: /opt/valheim
  novol:
    image: itzg/minecraft-server:java21
    instanceType: t4g.medium
    ports:
      - port: 25567
`, REGION);

export interface TestDeployment {
  readonly configFile: string;
  remove(): void;
}

export function writeTestDeployment(): TestDeployment {
  const folder = mkdtempSync(join(tmpdir(), 'gm-host-config-'));
  const configFile = join(folder, 'gamemanagement.yaml');
  writeFileSync(configFile, CONFIG_YAML);
  return { configFile, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/** One Auto Scaling group as DescribeAutoScalingGroups returns it. */
export function group(name: string, desired: number, instances: readonly { id: string; state: LifecycleState | string }[]): AutoScalingGroup {
  return {
    AutoScalingGroupName: name,
    AutoScalingGroupARN: `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:11111111-2222-3333-4444-555555555555:autoScalingGroupName/${name}`,
    MinSize: 0,
    MaxSize: 1,
    DesiredCapacity: desired,
    DefaultCooldown: 300,
    AvailabilityZones: [`${REGION}a`],
    HealthCheckType: 'EC2',
    CreatedTime: new Date('2026-11-01T10:00:00Z'),
    Instances: instances.map((i) => ({
      InstanceId: i.id,
      InstanceType: 't4g.medium',
      AvailabilityZone: `${REGION}a`,
      LifecycleState: i.state as LifecycleState,
      HealthStatus: 'Healthy',
      ProtectedFromScaleIn: false,
    })),
  };
}

/** "User: … is not authorized to perform: <action> on resource: <arn>", as AWS words access denied. */
export function deniedMessage(action: string, resource: string): string {
  return `User: arn:aws:iam::${ACCOUNT}:user/ana is not authorized to perform: ${action} on resource: ${resource}`;
}

export function noCredentials(): Error {
  return Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
}
