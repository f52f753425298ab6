import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { Architecture } from '../../config/instance-types';
import { ECS_RESERVED_MEMORY_MIB } from '../../config/instance-types';
import { hostUserData } from './host-user-data';
import { DEPLOYMENT_TAG, resourceName } from '../support/naming';
import { gameResourceNames } from '../../runtime/names';

export interface GameHostProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  /** Game id. */
  readonly gameId: string;
  readonly instanceType: string;
  /** Chooses the arm64 or x86_64 ECS-optimised AMI. */
  readonly architecture: Architecture;
  readonly subnetId: string;
  readonly securityGroupId: string;
  readonly instanceProfileArn: string;
  readonly clusterName: string;
  /** Seconds the game gets to save after SIGTERM. */
  readonly stopTimeoutSeconds: number;
  /** Root volume size in GiB. Default 30. */
  readonly rootVolumeGiB?: number;
  /** Spot capacity (price-capacity-optimised). Default false. */
  readonly spot?: boolean;
  /** An IPv6 address on the host. Default false. */
  readonly ipv6?: boolean;
  /** One-minute CloudWatch metrics (needed by the traffic probe; costs while running). Default false. */
  readonly detailedMonitoring?: boolean;
  /** Install conntrack-tools (the connections probe of a UDP game needs it). Default false. */
  readonly conntrack?: boolean;
  /**
   * The game's world: mounted whole at WORLD_MOUNT_PATH (for `gm files`), and
   * where a `gm restore` is put in place at boot. Default: not on the host.
   */
  readonly world?: { readonly fileSystemId: string; readonly region: string };
  /**
   * Keep the host stopped in a warm pool between sessions (its volume, and the
   * image on it, kept). Not with spot: AWS refuses a warm pool on a group with a
   * mixed instances policy. Default false.
   */
  readonly warmPool?: boolean;
  /** A public image the host pulls at boot, while the ECS agent registers. Default none (the agent pulls). */
  readonly prePullImage?: string;
}

/**
 * A script as the string argument of a Terraform function. cdktf escapes its
 * newlines and `${` there, but neither backslashes nor double quotes (and
 * refuses the quotes): those, and `%{`, are escaped here, so the script
 * reaches the host exactly as written. cdktf references inside stay references.
 */
export function asFunctionArgument(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%\{/g, '%%{');
}

/** SSM parameter of the newest ECS-optimised Amazon Linux 2023 AMI, read at each launch. */
export function ecsAmiParameter(architecture: Architecture): string {
  return architecture === 'arm64'
    ? '/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id'
    : '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';
}

/**
 * The on-demand base capacity of a spot group belongs to the runtime: the
 * instance hook raises it to 1 for one start after spot launches failed and
 * sets it back. Terraform ignores it, so a deploy neither undoes a fallback
 * in progress nor is undone by it.
 */
export const ON_DEMAND_BASE_CAPACITY = 'mixed_instances_policy[0].instances_distribution[0].on_demand_base_capacity';

/**
 * The game's host: an Auto Scaling group of 0..1 instances from a launch
 * template. The group's desired capacity belongs to the runtime (waker,
 * watchdog, failsafes); Terraform creates it at 0 and never touches it again,
 * so a deploy while someone plays does not stop the server.
 */
export class GameHost extends Construct {
  readonly launchTemplate: LaunchTemplate;
  readonly group: AutoscalingGroup;

  constructor(scope: Construct, id: string, props: GameHostProps) {
    super(scope, id);
    const name = resourceName(props.prefix, props.gameId);
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name,
      description: `Host of game ${props.gameId}`,
      // Resolved by EC2 at each launch: always the patched AMI, and no data source asks AWS at plan time.
      imageId: `resolve:ssm:${ecsAmiParameter(props.architecture)}`,
      instanceType: props.spot ? undefined : props.instanceType,
      iamInstanceProfile: { arn: props.instanceProfileArn },
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        // One hop: the host reaches the metadata service, bridged containers (one hop further) cannot.
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      },
      blockDeviceMappings: [{
        deviceName: '/dev/xvda',
        ebs: { volumeType: 'gp3', volumeSize: props.rootVolumeGiB ?? 30, encrypted: 'true', deleteOnTermination: 'true' },
      }],
      networkInterfaces: [{
        deviceIndex: 0,
        associatePublicIpAddress: 'true',
        ipv6AddressCount: props.ipv6 ? 1 : undefined,
        securityGroups: [props.securityGroupId],
        deleteOnTermination: 'true',
      }],
      monitoring: { enabled: props.detailedMonitoring ?? false },
      userData: Fn.base64encode(asFunctionArgument(hostUserData({
        clusterName: props.clusterName,
        stopTimeoutSeconds: props.stopTimeoutSeconds,
        reservedMemoryMiB: ECS_RESERVED_MEMORY_MIB,
        conntrack: props.conntrack,
        prePullImage: props.prePullImage,
        warmPool: props.warmPool,
        world: props.world && {
          fileSystemId: props.world.fileSystemId,
          region: props.world.region,
          swapParameterName: gameResourceNames(props.prefix, props.gameId).worldSwapParameter,
        },
      }))),
      // The deployment tag on the instance lets an operator's policy open shells and tunnels
      // (`gm shell`, `gm files`) only to this deployment's hosts (`gm policy`).
      tagSpecifications: [
        { resourceType: 'instance', tags: { Name: name, 'gm:game': props.gameId, [DEPLOYMENT_TAG]: props.prefix } },
        { resourceType: 'volume', tags: { Name: name, 'gm:game': props.gameId } },
      ],
      updateDefaultVersion: true,
    });

    if (props.warmPool && props.spot) throw new Error(`game ${props.gameId}: AWS refuses a warm pool on a spot group (mixed instances policy)`);
    const template = { id: this.launchTemplate.id, version: '$Latest' };
    this.group = new AutoscalingGroup(this, 'group', {
      name,
      minSize: 0,
      maxSize: 1,
      desiredCapacity: 0,
      vpcZoneIdentifier: [props.subnetId],
      healthCheckType: 'EC2',
      healthCheckGracePeriod: 300,
      // The group never replaces a host on its own initiative except when it is unhealthy.
      capacityRebalance: false,
      launchTemplate: props.spot ? undefined : template,
      mixedInstancesPolicy: props.spot ? {
        launchTemplate: {
          launchTemplateSpecification: { launchTemplateId: this.launchTemplate.id, version: '$Latest' },
          override: [{ instanceType: props.instanceType }],
        },
        instancesDistribution: {
          onDemandBaseCapacity: 0,
          onDemandPercentageAboveBaseCapacity: 0,
          spotAllocationStrategy: 'price-capacity-optimized',
        },
      } : undefined,
      // One instance in all: the pool holds it (stopped) while the group is at 0, and a stop returns it
      // there instead of terminating it. The pool's size is the group's maximum (1) minus its desired
      // capacity, so no second instance is prepared while the first serves (min size 0).
      warmPool: props.warmPool ? {
        poolState: 'Stopped',
        minSize: 0,
        instanceReusePolicy: { reuseOnScaleIn: true },
      } : undefined,
      // Group metrics are free; the max-hours alarm watches this one.
      enabledMetrics: ['GroupInServiceInstances'],
      metricsGranularity: '1Minute',
      // The provider's default tags do not reach Auto Scaling groups: the waker's grant depends on this one.
      tag: [
        { key: 'gm:game', value: props.gameId, propagateAtLaunch: false },
        { key: DEPLOYMENT_TAG, value: props.prefix, propagateAtLaunch: false },
      ],
      lifecycle: { ignoreChanges: props.spot ? ['desired_capacity', ON_DEMAND_BASE_CAPACITY] : ['desired_capacity'] },
    });
  }
}
