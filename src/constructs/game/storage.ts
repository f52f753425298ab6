import { EfsAccessPoint } from '@cdktf/provider-aws/lib/efs-access-point';
import { EfsBackupPolicy } from '@cdktf/provider-aws/lib/efs-backup-policy';
import { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system';
import { EfsFileSystemPolicy } from '@cdktf/provider-aws/lib/efs-file-system-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { assumeRolePolicy, policyDocument } from '../support/iam-document';
import { resourceName } from '../support/naming';
import { accessPointRoot } from '../../runtime/world-paths';
import { terraformLiteral } from '../support/literal';
import { gameResourceNames } from '../../runtime/names';
import { roleArn, scopeOf } from '../support/arn';

export interface GameStorageProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  /** Game id. */
  readonly gameId: string;
  /** Container paths that persist; one access point each. */
  readonly volumePaths: readonly string[];
  /** Region of the stack (to build an adopted file system's ARN without asking AWS). */
  readonly region: string;
  /** Adopt this file system (Terraform never deletes it). Default: create one. */
  readonly existingFileSystemId?: string;
  /** One Zone storage in this zone (about half the price of Regional). Default: Regional. */
  readonly oneZoneAvailabilityZone?: string;
  /** Refuse to destroy the file system (`prevent_destroy`). Default true. */
  readonly keepOnDestroy?: boolean;
}

/** Terraform names of a game's world resources (stable, so `removed` blocks can name them). */
export function worldAddress(gameId: string): { fileSystem: string; backupPolicy: string; backupSelection: string } {
  const id = `world_${gameId.replace(/-/g, '_')}`;
  return { fileSystem: id, backupPolicy: `${id}_backup`, backupSelection: `${id}_backup_selection` };
}


/**
 * A game's world: an encrypted EFS file system (created or adopted), TLS-only,
 * mountable only by the game's task role and the game's host, one access point
 * per volume (AWS Backup is the worlds stack's, see WorldBackups). It lives in the worlds stack so that
 * destroying the game stack never touches a world.
 */
export class GameStorage extends Construct {
  readonly fileSystemId: string;
  readonly fileSystemArn: string;
  /** Role the game task assumes to mount its world (EFS IAM authorisation). */
  readonly taskRole: IamRole;
  /** Access point per container path, in `volumePaths` order. */
  readonly accessPoints: readonly { readonly containerPath: string; readonly accessPoint: EfsAccessPoint }[];

  constructor(scope: Construct, id: string, props: GameStorageProps) {
    super(scope, id);
    const name = resourceName(props.prefix, props.gameId, 'world');
    this.taskRole = new IamRole(this, 'task-role', {
      name: resourceName(props.prefix, props.gameId, 'task'),
      description: `Lets the ${props.gameId} game container mount its world over TLS; nothing else.`,
      assumeRolePolicy: assumeRolePolicy('ecs-tasks.amazonaws.com'),
    });

    if (props.existingFileSystemId) {
      this.fileSystemId = props.existingFileSystemId;
      // The account id comes from the role's ARN: no data source has to ask AWS at plan time.
      const arnPart = (i: number) => Fn.element(Fn.split(':', this.taskRole.arn), i);
      this.fileSystemArn = `arn:${arnPart(1)}:elasticfilesystem:${props.region}:${arnPart(4)}:file-system/${props.existingFileSystemId}`;
    } else {
      const fs = new EfsFileSystem(this, 'fs', {
        creationToken: name,
        encrypted: true,
        availabilityZoneName: props.oneZoneAvailabilityZone,
        performanceMode: 'generalPurpose',
        throughputMode: 'elastic',
        // Worlds that nobody played for 30 days move to Infrequent Access (cheaper); first read brings them back.
        lifecyclePolicy: [{ transitionToIa: 'AFTER_30_DAYS' }, { transitionToPrimaryStorageClass: 'AFTER_1_ACCESS' }],
        tags: { Name: name },
        lifecycle: { preventDestroy: props.keepOnDestroy ?? true },
      });
      // A stable address, so a released world can be named in a `removed` block.
      fs.overrideLogicalId(worldAddress(props.gameId).fileSystem);
      this.fileSystemId = fs.id;
      this.fileSystemArn = fs.arn;
    }

    // EFS's own automatic backups stay off (a One Zone file system has them on unless told): they land in
    // a vault whose policy denies every restore. The worlds stack's plan backs the world up instead (WorldBackups).
    new EfsBackupPolicy(this, 'backup', {
      fileSystemId: this.fileSystemId,
      backupPolicy: { status: 'DISABLED' },
    }).overrideLogicalId(worldAddress(props.gameId).backupPolicy);

    this.accessPoints = props.volumePaths.map((containerPath, i) => ({
      containerPath,
      accessPoint: new EfsAccessPoint(this, `volume-${i}`, {
        fileSystemId: this.fileSystemId,
        rootDirectory: {
          path: accessPointRoot(containerPath),
          // Most game images (itzg/*, lloesche/valheim-server) run as uid/gid 1000.
          creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: '0755' },
        },
        tags: { Name: terraformLiteral(`${name}${containerPath}`) },
      }),
    }));

    new IamRolePolicy(this, 'task-mount', {
      name: 'mount-world',
      role: this.taskRole.id,
      policy: policyDocument({
        Effect: 'Allow',
        // Root access inside the access point: many images start as root and chown their data folder.
        Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'],
        Resource: this.fileSystemArn,
        Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
      }),
    });

    // The host role lives in the game stack and may not exist yet (or any more) when this policy is
    // written: AWS refuses a policy naming an unknown principal, but not a condition value. So the
    // statement names the account and lets through only the principal with the host role's ARN.
    const account = scopeOf(this.taskRole.arn, props.region);
    const hostRoleArn = roleArn(account, gameResourceNames(props.prefix, props.gameId).hostRole);
    new EfsFileSystemPolicy(this, 'policy', {
      fileSystemId: this.fileSystemId,
      policy: policyDocument(
        {
          Sid: 'DenyWithoutTls',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: '*',
          Resource: this.fileSystemArn,
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        {
          Sid: 'OnlyTheGameTaskMounts',
          Effect: 'Allow',
          Principal: { AWS: this.taskRole.arn },
          Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'],
          Resource: this.fileSystemArn,
          Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
        },
        {
          // The host mounts the whole world (for `gm files`, and to put a `gm restore` in place at boot).
          Sid: 'AndTheGameHost',
          Effect: 'Allow',
          Principal: { AWS: `arn:${account.partition}:iam::${account.account}:root` },
          Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'],
          Resource: this.fileSystemArn,
          Condition: {
            Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' },
            ArnEquals: { 'aws:PrincipalArn': hostRoleArn },
          },
        },
      ),
    });
  }
}
