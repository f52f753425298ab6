import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { ReleasedWorld } from '../config/kept-worlds';
import type { Config } from '../config/resolve';
import { GameStorage, worldAddress } from '../constructs/game/storage';
import { WorldBackups } from '../constructs/game/world-backups';
import { AwsBackupRole } from '../constructs/game/aws-backup-role';
import { defaultTags } from '../constructs/support/naming';
import { deploymentResourceNames } from '../runtime/names';
import { useS3State } from './s3-state';
import { WORLDS_STACK } from './worlds-stack-name';

export { WORLDS_STACK } from './worlds-stack-name';

/**
 * The worlds: one EFS file system per game (and the role AWS Backup restores
 * them with), in a stack of their own. Terraform
 * has no "retain on destroy"; keeping file systems out of the game stack means
 * `cdktf destroy gamemanagement` removes everything that costs money per hour
 * and leaves every world (and its backups) in place. Destroying this stack is
 * refused while a game has `keepOnDestroy: true` (prevent_destroy), and a kept
 * world whose game is gone is released, never deleted (see config/kept-worlds).
 */
export class WorldsStack extends TerraformStack {
  readonly storage: ReadonlyMap<string, GameStorage>;
  /** What AWS Backup restores a world with (`gm restore`). */
  readonly restoreRole: AwsBackupRole;
  /** The daily backups of every world whose game has `backups` on. */
  readonly backups: WorldBackups;

  constructor(scope: Construct, config: Config, released: readonly ReleasedWorld[] = []) {
    super(scope, WORLDS_STACK);
    useS3State(this, config, config.state.worldsKey);
    new AwsProvider(this, 'aws', { region: config.region, defaultTags: [{ tags: defaultTags(config.name, config.tags) }] });
    const storage = new Map<string, GameStorage>();
    for (const game of config.games) {
      storage.set(game.id, new GameStorage(this, `world-${game.id}`, {
        prefix: config.name,
        gameId: game.id,
        region: config.region,
        volumePaths: game.volumes.map((v) => v.path),
        existingFileSystemId: game.existingFileSystemId,
        oneZoneAvailabilityZone: game.oneZone ? config.network.availabilityZone : undefined,
        keepOnDestroy: game.keepOnDestroy,
      }));
    }
    this.storage = storage;
    // Always there, even with no game backed up: the vault and plan are free, and AWS refuses to delete
    // a vault that holds copies, so turning the last game's backups off must not try.
    this.backups = new WorldBackups(this, 'world-backups', { prefix: config.name });
    for (const game of config.games.filter((g) => g.backups)) {
      const world = storage.get(game.id)!;
      this.backups.protect(world, config.name, game.id, world.fileSystemArn, worldAddress(game.id).backupSelection);
    }
    this.restoreRole = new AwsBackupRole(this, 'world-restore', {
      name: deploymentResourceNames(config.name).worldRestoreRole,
      description: 'AWS Backup restores a game world with this role (gm restore)',
      purpose: 'restores',
    });
    if (released.length > 0) {
      // Terraform forgets these and leaves them in AWS: a dropped or adopted game never deletes its world.
      this.addOverride('removed', released.flatMap(({ gameId, gameRemoved }) => {
        const address = worldAddress(gameId);
        const keep = (resource: string) => ({ from: resource, lifecycle: { destroy: false } });
        return [
          keep(`aws_efs_file_system.${address.fileSystem}`),
          // A dropped game's world is no longer backed up (its selection goes), but its recovery points
          // stay in the vault until they expire.
          ...(gameRemoved ? [keep(`aws_efs_backup_policy.${address.backupPolicy}`)] : []),
        ];
      }));
    }
  }
}
