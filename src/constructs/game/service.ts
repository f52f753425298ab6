import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { Construct } from 'constructs';
import { terraformLiteral } from '../support/literal';
import { resourceName } from '../support/naming';
import type { ContainerSecret } from './task-secrets';

export interface GameVolume {
  /** Path in the container. */
  readonly containerPath: string;
  readonly fileSystemId: string;
  readonly accessPointId: string;
}

export interface GameServiceProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  /** Game id. */
  readonly gameId: string;
  readonly region: string;
  readonly clusterArn: string;
  readonly image: string;
  readonly ports: readonly { readonly port: number; readonly protocol: 'tcp' | 'udp' }[];
  /** Environment variables. Default none. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Hard memory limit of the container in MiB. */
  readonly memoryMiB: number;
  /** Seconds between SIGTERM and SIGKILL. */
  readonly stopTimeoutSeconds: number;
  readonly logGroupName: string;
  /** EFS volumes (the world). Default none. */
  readonly volumes?: readonly GameVolume[];
  /** Role of the task; only needed to mount EFS with IAM authorisation. Default none. */
  readonly taskRoleArn?: string;
  /** Variables the ECS agent fills from SSM or Secrets Manager at start (names and ARNs only). Default none. */
  readonly secrets?: readonly ContainerSecret[];
  /** Role the ECS agent uses to start the task (read the secrets); needed with secrets. Default none. */
  readonly executionRoleArn?: string;
}

/** Name of the one container in every game task. */
export const GAME_CONTAINER = 'game';

/**
 * The game container and the ECS service that runs it on the game's host.
 * The service's desired count and running task definition belong to the
 * runtime: the instance hook starts the newest revision at each launch and
 * drains it before the host terminates; Terraform creates the service at 0
 * and ignores both afterwards, so a deploy never restarts a game in play.
 */
export class GameService extends Construct {
  readonly taskDefinition: EcsTaskDefinition;
  readonly service: EcsService;

  constructor(scope: Construct, id: string, props: GameServiceProps) {
    super(scope, id);
    const name = resourceName(props.prefix, props.gameId);
    const volumes = props.volumes ?? [];
    const environment = Object.entries(props.environment ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => ({ name: key, value }));
    const container = {
      name: GAME_CONTAINER,
      image: props.image,
      essential: true,
      memory: props.memoryMiB,
      // An init process forwards SIGTERM to the game and reaps zombies, so the save-on-stop really runs.
      linuxParameters: { initProcessEnabled: true },
      stopTimeout: props.stopTimeoutSeconds,
      privileged: false,
      portMappings: props.ports.map((p) => ({ containerPort: p.port, hostPort: p.port, protocol: p.protocol })),
      environment,
      ...(props.secrets && props.secrets.length > 0 ? { secrets: props.secrets } : {}),
      mountPoints: volumes.map((v, i) => ({ sourceVolume: `world-${i}`, containerPath: v.containerPath, readOnly: false })),
      ulimits: [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }],
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': props.logGroupName,
          'awslogs-region': props.region,
          'awslogs-stream-prefix': props.gameId,
          // Never block the game on a slow log upload.
          mode: 'non-blocking',
          'max-buffer-size': '4m',
        },
      },
    };
    this.taskDefinition = new EcsTaskDefinition(this, 'task', {
      family: name,
      requiresCompatibilities: ['EC2'],
      // Bridge: ports map one to one onto the host, and no ENI has to be attached before the game starts.
      networkMode: 'bridge',
      taskRoleArn: props.taskRoleArn,
      executionRoleArn: props.executionRoleArn,
      // User text (environment values, the image) reaches the container as written, not as a Terraform template.
      containerDefinitions: terraformLiteral(JSON.stringify([container])),
      volume: volumes.map((v, i) => ({
        name: `world-${i}`,
        efsVolumeConfiguration: {
          fileSystemId: v.fileSystemId,
          transitEncryption: 'ENABLED',
          authorizationConfig: { accessPointId: v.accessPointId, iam: 'ENABLED' },
        },
      })),
    });
    this.service = new EcsService(this, 'service', {
      name,
      cluster: props.clusterArn,
      taskDefinition: this.taskDefinition.arn,
      launchType: 'EC2',
      desiredCount: 0,
      // One world, one game: never run two tasks at once, and let the only task stop
      // before a new one starts (a one-task service cannot drain otherwise).
      deploymentMinimumHealthyPercent: 0,
      deploymentMaximumPercent: 100,
      schedulingStrategy: 'REPLICA',
      propagateTags: 'SERVICE',
      enableEcsManagedTags: true,
      waitForSteadyState: false,
      lifecycle: { ignoreChanges: ['desired_count', 'task_definition'] },
    });
  }
}
