import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EfsMountTarget } from '@cdktf/provider-aws/lib/efs-mount-target';
import { Construct } from 'constructs';
import type { GameConfig } from '../../config/resolve';
import { GameDns } from './dns';
import { GameFirewall } from './firewall';
import { GameHost } from './host';
import { GameService } from './service';
import type { GameStorage } from './storage';
import { GameLifecycle } from './lifecycle';
import { GameWatchdog } from './watchdog';
import { InstanceRole } from './instance-role';
import { MaxHoursAlarm } from './max-hours-alarm';
import { containerSecrets, localArnScope, TaskExecutionRole } from './task-secrets';
import { gameResourceNames } from '../../runtime/names';
import { gameImage } from './image-cache';
import { runtimeGame } from './runtime-game';

export interface GameProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  readonly region: string;
  readonly game: GameConfig;
  readonly vpcId: string;
  readonly subnetId: string;
  readonly zoneId: string;
  readonly ipv6: boolean;
  /** The game's world, from the worlds stack. */
  readonly storage: GameStorage;
  /** Retention of the game's container logs in days. */
  readonly logRetentionDays: number;
  /** Alerts topic. */
  readonly topicArn: string;
}

/**
 * Everything one game runs on, isolated from the other games: its own
 * security groups, role, cluster, host group, container and DNS names.
 */
export class Game extends Construct {
  readonly cluster: EcsCluster;
  readonly logGroup: CloudwatchLogGroup;
  readonly host: GameHost;
  readonly service: GameService;
  readonly firewall: GameFirewall;
  readonly dns: GameDns;
  readonly watchdog: GameWatchdog;
  readonly lifecycle: GameLifecycle;
  /** Reads the game's secrets at container start; only for a game with secrets. */
  readonly executionRole?: TaskExecutionRole;

  constructor(scope: Construct, id: string, props: GameProps) {
    super(scope, id);
    const { game, prefix } = props;
    const names = gameResourceNames(prefix, game.id);

    this.cluster = new EcsCluster(this, 'cluster', {
      name: names.cluster,
      // Container Insights costs per metric; the watchdog publishes the few that matter.
      setting: [{ name: 'containerInsights', value: 'disabled' }],
    });
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: names.logGroup,
      retentionInDays: props.logRetentionDays,
    });
    this.firewall = new GameFirewall(this, 'firewall', {
      prefix, gameId: game.id, vpcId: props.vpcId, ports: game.ports, egress: game.egress, ipv6: props.ipv6,
    });
    new EfsMountTarget(this, 'world-mount', {
      fileSystemId: props.storage.fileSystemId,
      subnetId: props.subnetId,
      securityGroups: [this.firewall.mountTargetGroup.id],
    });
    // Through the game's pull-through cache when it has one; pulled at boot when the host can without credentials.
    const image = gameImage(this, { prefix, game, region: props.region, arnSource: this.cluster.arn });
    const role = new InstanceRole(this, 'host-role', {
      prefix, gameId: game.id, clusterArn: this.cluster.arn, logGroupArn: this.logGroup.arn,
      world: { fileSystemArn: props.storage.fileSystemArn, region: props.region },
      imageCacheRepositoryArns: image.cacheRepositoryArns,
    });
    this.host = new GameHost(this, 'host', {
      prefix,
      // Mounted at WORLD_MOUNT_PATH for `gm files`; a `gm restore` is put in place there at boot.
      world: { fileSystemId: props.storage.fileSystemId, region: props.region },
      gameId: game.id,
      instanceType: game.instanceType,
      architecture: game.architecture,
      subnetId: props.subnetId,
      securityGroupId: this.firewall.hostGroup.id,
      instanceProfileArn: role.profile.arn,
      clusterName: this.cluster.name,
      stopTimeoutSeconds: game.stopTimeoutSeconds,
      rootVolumeGiB: game.rootVolumeGiB,
      spot: game.spot,
      warmPool: game.warmPool,
      prePullImage: image.prePullImage,
      ipv6: props.ipv6,
      detailedMonitoring: game.watchdog.probe.type === 'traffic',
      conntrack: game.watchdog.probe.type === 'connections' && game.ports.some((p) => p.protocol === 'udp'),
    });
    const hasSecrets = Object.keys(game.secrets).length > 0;
    // Account and partition from the cluster's ARN: no data source asks AWS at plan time.
    const arnScope = hasSecrets ? localArnScope(this, this.cluster.arn, props.region) : undefined;
    this.executionRole = arnScope
      ? new TaskExecutionRole(this, 'task-execution', { prefix, gameId: game.id, scope: arnScope, secrets: game.secrets, imageCacheRepositoryArns: image.cacheRepositoryArns })
      : undefined;
    this.service = new GameService(this, 'service', {
      prefix,
      gameId: game.id,
      region: props.region,
      clusterArn: this.cluster.arn,
      image: image.image,
      ports: game.ports,
      environment: game.environment,
      memoryMiB: game.memoryMiB,
      stopTimeoutSeconds: game.stopTimeoutSeconds,
      logGroupName: this.logGroup.name,
      volumes: props.storage.accessPoints.map(({ containerPath, accessPoint }) => ({
        containerPath, fileSystemId: props.storage.fileSystemId, accessPointId: accessPoint.id,
      })),
      taskRoleArn: game.volumes.length > 0 ? props.storage.taskRole.arn : undefined,
      secrets: arnScope ? containerSecrets(arnScope, game.secrets) : undefined,
      executionRoleArn: this.executionRole?.role.arn,
    });
    this.dns = new GameDns(this, 'dns', { zoneId: props.zoneId, fqdn: game.fqdn, ipv6: props.ipv6, srv: game.srv });

    const runtime = runtimeGame(game, names, props.zoneId, props.ipv6, props.region);
    this.watchdog = new GameWatchdog(this, 'watchdog', {
      prefix, region: props.region, game: runtime, group: this.host.group, cluster: this.cluster, service: this.service.service, topicArn: props.topicArn,
    });
    this.lifecycle = new GameLifecycle(this, 'lifecycle', {
      prefix,
      region: props.region,
      game: runtime,
      group: this.host.group,
      cluster: this.cluster,
      service: this.service.service,
      watchdog: this.watchdog,
      zoneId: props.zoneId,
      topicArn: props.topicArn,
    });
    new MaxHoursAlarm(this, 'max-hours', {
      prefix,
      gameId: game.id,
      group: this.host.group,
      maxHours: game.watchdog.maxHours,
      stop: game.watchdog.stopAfterMaxHours,
      topicArn: props.topicArn,
    });
  }
}
