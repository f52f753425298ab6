/**
 * `gm restore <game> <recovery-point|latest>`: AWS Backup restores the
 * world's `volumes` folder from a backup into a new folder of the same file
 * system (the live world is never written), with progress. Then a swap
 * request goes to the game's world-swap parameter, and the host puts the
 * restored folder in place at the next start, before the game starts,
 * keeping the current world aside (src/constructs/game/world-swap-script.ts).
 *
 * Ctrl-C while AWS Backup works leaves the world as it was: no swap request
 * is written, and `--job <id>` uses the job's copy later if wanted.
 * `--undo` cancels a swap still pending (a restore's or a `gm files
 * --upload`'s), or asks for the world set aside last (the newest
 * before-restore or before-upload folder) back at the next start.
 */
import { worldHeld } from '../../runtime/session';
import { WORLD_MOUNT_PATH } from '../../runtime/world-paths';
import { describeGroup } from '../../lambdas/shared/auto-scaling';
import { deleteParameter, readParameter, writeParameter } from '../../lambdas/shared/parameters';
import { systemClock, type Clock } from '../../lambdas/shared/poll';
import { requestStart } from '../../lambdas/shared/session';
import { AWS_OPTIONS, AWS_OPTIONS_USAGE, findGame, loadDeployment, type GameTarget } from '../aws/deployment';
import { EFS_AUTOMATIC_BACKUP_VAULT, findWorld, listRecoveryPoints, noRecoveryPointsLine, WorldNotFoundError, type RecoveryPoint, type World } from '../aws/world';
import { EXIT_FAILED, EXIT_OK, gmCommandLine, UsageError, type Command } from '../command';
import { EXIT_INTERRUPTED } from '../game-status/follow';
import { duration } from '../game-status/format';
import type { CliIo } from '../io';
import { parseOptions } from '../parse-options';
import { waitWithProgress } from '../progress';
import { localIsoTime } from '../restore/format';
import { interruptedLines, onHost, swapLines, undoLine } from '../restore/messages';
import { describeJobState, describeRestoreJob, FINAL_RESTORE_STATUSES, restoreRoleArn, startRestoreJob, type RestoreJob } from '../restore/restore-job';
import { describeSwapRequest, keepFolder, pendingUploadFolder, swapRequestText } from '../restore/swap-request';
import { stopAndWait } from './stop';

export const RESTORE_POLL_MS = 15_000;
/** An EFS restore of a game world takes minutes; past this the job is left to run and `--job` picks it up. */
export const RESTORE_WAIT_MS = 3 * 60 * 60_000;

const USAGE = `usage: gm restore <game> <recovery-point-id|arn|latest> [--yes] [--stop]
       gm restore <game> --job <restore-job-id> [--yes] [--stop]
       gm restore <game> --undo [--yes]
Restores the game's world from a backup (\`gm backups <game>\` lists them).
AWS Backup copies the backup into a new folder of the world's file system,
with progress; the live world is not touched. At the game's next start, before
the game starts, the restored world goes in place and the current one is kept
in ${WORLD_MOUNT_PATH}/before-restore-<time>/volumes on the host.
  --yes    do not ask for confirmation
  --stop   stop the game first if it runs (without asking)
  --job    put the copy of an earlier restore job in place (one that was
           interrupted with Ctrl-C and has finished since)
  --undo   cancel a restore or an upload (\`gm files --upload\`) not yet in
           place, or put the world set aside last (the newest before-restore
           or before-upload folder) back at the next start
Ctrl-C while AWS Backup works leaves the world as it was.
${AWS_OPTIONS_USAGE}`;

/** What the command reads besides AWS: the time, and the zone dates print in (default the local one). */
export interface RestoreContext {
  readonly clock: Clock;
  readonly timeZone?: string;
}

interface Options {
  readonly yes: boolean;
  readonly stop: boolean;
}

/** Asks a yes/no question; only "y" or "yes" is a yes. */
async function confirmed(io: CliIo, question: string): Promise<boolean> {
  return /^y(es)?$/i.test(await io.ask(`${question} [y/N] `));
}

/** The recovery point the user named: `latest`, an id from `gm backups`, or an ARN. */
function choosePoint(points: readonly RecoveryPoint[], wanted: string): RecoveryPoint | undefined {
  if (wanted === 'latest') {
    // Newest first; one in EFS's automatic vault only when there is nothing else, to be refused by name below.
    const completed = points.filter((p) => p.status === 'COMPLETED');
    return completed.find((p) => p.vaultName !== EFS_AUTOMATIC_BACKUP_VAULT) ?? completed[0];
  }
  return points.find((p) => p.arn === wanted || p.id === wanted);
}

async function isRunning(target: GameTarget): Promise<boolean> {
  const group = await describeGroup(target.names.asg, target.region);
  return group !== undefined && (group.desiredCapacity >= 1 || worldHeld(group));
}

/** The game is stopped (true), or it was stopped here, or the user was told why nothing happens (false). */
async function ensureStopped(target: GameTarget, io: CliIo, options: Options, retryArgs: string, context: RestoreContext): Promise<boolean> {
  const id = target.game.id;
  if (!(await isRunning(target))) return true;
  if (!options.stop) {
    if (!io.interactive) {
      io.err(`${id} is running; a restore needs it stopped: run ${gmCommandLine(`restore ${id} ${retryArgs} --stop`)} (or ${gmCommandLine(`stop ${id}`)} first)`);
      return false;
    }
    if (!(await confirmed(io, `${id} is running; stop it now?`))) {
      io.err(`nothing restored: ${id} is still running`);
      return false;
    }
  }
  if (await stopAndWait(target, io, context.clock)) return true;
  io.err(`nothing restored: ${id} is not stopped`);
  return false;
}

/** The user agrees (or said --yes); a run without a person needs --yes. */
async function agreed(io: CliIo, options: Options, question: string, command: string): Promise<boolean> {
  if (options.yes) return true;
  if (!io.interactive) {
    io.err(`nothing done: confirm with --yes when no one can answer, e.g. ${gmCommandLine(`${command} --yes`)}`);
    return false;
  }
  if (await confirmed(io, question)) return true;
  io.err('nothing done');
  return false;
}

/** Writes the swap request of a finished job and says what happens next; offers to start the game. */
async function requestSwap(target: GameTarget, io: CliIo, job: RestoreJob, context: RestoreContext): Promise<number> {
  const id = target.game.id;
  const now = new Date(context.clock.now());
  const keep = keepFolder('restore', now);
  const pending = await readParameter(target.names.worldSwapParameter, target.region);
  await writeParameter(target.names.worldSwapParameter, swapRequestText({
    kind: 'restore', keep, jobId: job.id, jobCreatedAt: job.createdAt ?? now, jobCompletedAt: job.completedAt ?? now,
  }), target.region);
  if (pending !== undefined) io.out(`(this replaces ${describeSwapRequest(pending)}, which was waiting for the next start)`);
  for (const line of swapLines(id, keep, `the restored world (job ${job.id})`)) io.out(line);
  io.out(undoLine(id));
  if (await isRunning(target)) {
    io.out(`${id} is running again (a player or a start came during the restore): the swap happens at the start after this session`);
    return EXIT_OK;
  }
  if (io.interactive && (await confirmed(io, `start ${id} now?`))) {
    const outcome = await requestStart(target.session, { source: 'operator', now: new Date(context.clock.now()) }, target.region);
    io.out(startLine(target, outcome.result));
  } else {
    io.out(`start it with ${gmCommandLine(`start ${id}`)}, or connect to ${target.game.fqdn}`);
  }
  return EXIT_OK;
}

function startLine(target: GameTarget, result: 'started' | 'already-up' | 'deferred' | 'missing'): string {
  const id = target.game.id;
  switch (result) {
    case 'started': return `starting ${id}: the restored world is put in place before the game starts`;
    case 'already-up': return `${id} is already starting: the restored world is put in place at that start`;
    case 'deferred': return `${id} is still stopping: it starts when the stop ends, with the restored world`;
    case 'missing': return `${id} is not deployed (no Auto Scaling group ${target.names.asg}): the swap waits for its first start`;
  }
}

/** Waits for the job with progress; says what is left if it does not finish here. */
async function followJob(target: GameTarget, io: CliIo, jobId: string, context: RestoreContext): Promise<RestoreJob | number> {
  const id = target.game.id;
  const wait = await waitWithProgress<RestoreJob | undefined>({
    io,
    clock: context.clock,
    label: `restoring ${id}'s world (job ${jobId})`,
    intervalMs: RESTORE_POLL_MS,
    timeoutMs: RESTORE_WAIT_MS,
    read: () => describeRestoreJob(target, jobId),
    describe: (job) => (job ? describeJobState(job) : 'not listed yet'),
    isDone: (job) => job !== undefined && FINAL_RESTORE_STATUSES.has(job.status),
  });
  if (wait.outcome === 'interrupted') {
    for (const line of interruptedLines(id, jobId)) io.err(line);
    return EXIT_INTERRUPTED;
  }
  if (wait.outcome === 'timeout' || !wait.value) {
    io.err(`restore job ${jobId} is still ${wait.value ? describeJobState(wait.value) : 'not listed'} after ${duration(wait.elapsedMs / 1000)}; ${id}'s world is untouched`);
    io.err(`when it has finished, ${gmCommandLine(`restore ${id} --job ${jobId}`)} puts its copy in place`);
    return EXIT_FAILED;
  }
  const job = wait.value;
  if (job.status !== 'COMPLETED') {
    io.err(`restore job ${jobId} ${job.status}: ${job.statusMessage ?? 'AWS Backup gave no reason'}; ${id}'s world is untouched`);
    return EXIT_FAILED;
  }
  io.out(`AWS Backup restored the backup in ${duration(wait.elapsedMs / 1000)} (job ${jobId})`);
  return job;
}

async function restorePoint(target: GameTarget, world: World, wanted: string, io: CliIo, options: Options, context: RestoreContext): Promise<number> {
  const id = target.game.id;
  const points = await listRecoveryPoints(target, world);
  if (points.length === 0) {
    io.err(noRecoveryPointsLine(target));
    return EXIT_FAILED;
  }
  const point = choosePoint(points, wanted);
  if (!point) {
    io.err(wanted === 'latest'
      ? `${id}'s world has no completed backup yet; ${gmCommandLine(`backups ${id}`)} lists them`
      : `${id}'s world has no backup "${wanted}"; ${gmCommandLine(`backups ${id}`)} lists them`);
    return EXIT_FAILED;
  }
  if (point.status !== 'COMPLETED') {
    io.err(`backup ${point.id} is ${point.status}, not COMPLETED: choose another with ${gmCommandLine(`backups ${id}`)}`);
    return EXIT_FAILED;
  }
  // Refused before asking or stopping anything: AWS Backup would deny the job (see EFS_AUTOMATIC_BACKUP_VAULT).
  if (point.vaultName === EFS_AUTOMATIC_BACKUP_VAULT) {
    io.err(`backup ${point.id} is in ${EFS_AUTOMATIC_BACKUP_VAULT}, whose access policy (AWS's own) denies every restore: `
      + `choose a backup of the deployment's vault (${gmCommandLine(`backups ${id}`)}), or lift that deny in the vault's access policy and restore it from the AWS Backup console; nothing was done`);
    return EXIT_FAILED;
  }
  const when = localIsoTime(point.createdAt, context.timeZone);
  if (!(await agreed(io, options, `restore ${id}'s world from the backup of ${when} (${point.id})? the current world is kept aside`, `restore ${id} ${wanted}`))) return EXIT_FAILED;
  if (!(await ensureStopped(target, io, options, wanted, context))) return EXIT_FAILED;
  if (io.interrupted.aborted) {
    io.err(`interrupted: nothing restored; ${id}'s world is untouched`);
    return EXIT_INTERRUPTED;
  }
  const jobId = await startRestoreJob(target, world, point, await restoreRoleArn(target), new Date(context.clock.now()));
  io.out(`restoring the backup of ${when} (${point.id}) into a new folder of ${world.fileSystemId}: job ${jobId}`);
  const job = await followJob(target, io, jobId, context);
  return typeof job === 'number' ? job : requestSwap(target, io, job, context);
}

async function restoreFromJob(target: GameTarget, world: World, jobId: string, io: CliIo, options: Options, context: RestoreContext): Promise<number> {
  const id = target.game.id;
  const job = await describeRestoreJob(target, jobId);
  if (!job) {
    io.err(`AWS Backup has no restore job ${jobId} in ${target.region}`);
    return EXIT_FAILED;
  }
  if (job.createdResourceArn && job.createdResourceArn !== world.fileSystemArn) {
    io.err(`restore job ${jobId} restored into ${job.createdResourceArn}, not ${id}'s world (${world.fileSystemArn})`);
    return EXIT_FAILED;
  }
  if (!FINAL_RESTORE_STATUSES.has(job.status)) {
    io.err(`restore job ${jobId} is still ${describeJobState(job)}: run this again when it has finished`);
    return EXIT_FAILED;
  }
  if (job.status !== 'COMPLETED') {
    io.err(`restore job ${jobId} ${job.status}: ${job.statusMessage ?? 'AWS Backup gave no reason'}; its copy cannot be used`);
    return EXIT_FAILED;
  }
  if (!(await agreed(io, options, `put the copy of restore job ${jobId} in place at ${id}'s next start? the current world is kept aside`, `restore ${id} --job ${jobId}`))) return EXIT_FAILED;
  if (!(await ensureStopped(target, io, options, `--job ${jobId}`, context))) return EXIT_FAILED;
  return requestSwap(target, io, job, context);
}

async function undo(target: GameTarget, io: CliIo, options: Options, context: RestoreContext): Promise<number> {
  const id = target.game.id;
  const parameter = target.names.worldSwapParameter;
  const pending = await readParameter(parameter, target.region);
  if (pending !== undefined) {
    // Not in place yet: cancelling the request is the whole undo (the restored or uploaded copy stays in its folder).
    await deleteParameter(parameter, target.region);
    io.out(`cancelled ${describeSwapRequest(pending)}, which was waiting for ${id}'s next start; the world stays as it is`);
    const upload = pendingUploadFolder(pending);
    if (upload !== undefined) {
      io.out(`the uploaded files stay in ${onHost(upload)} on the host: remove them with ${gmCommandLine(`shell ${id}`)} or an SFTP client (${gmCommandLine(`files ${id}`)}) when you no longer want them`);
    }
    return EXIT_OK;
  }
  if (!(await agreed(io, options, `put the world set aside last (the newest before-restore or before-upload folder) back at ${id}'s next start? the current world is kept aside`, `restore ${id} --undo`))) return EXIT_FAILED;
  const keep = keepFolder('undo', new Date(context.clock.now()));
  await writeParameter(parameter, swapRequestText({ kind: 'undo', keep }), target.region);
  for (const line of swapLines(id, keep, 'the newest before-restore-<time> or before-upload-<time> folder')) io.out(line);
  io.out(`(if there is none, the host leaves the world as it is)`);
  return EXIT_OK;
}

export async function runRestore(args: readonly string[], io: CliIo, context: RestoreContext = { clock: systemClock }): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    ...AWS_OPTIONS,
    yes: { type: 'boolean', default: false },
    stop: { type: 'boolean', default: false },
    undo: { type: 'boolean', default: false },
    job: { type: 'string' },
  });
  const [gameId, wanted, extra] = positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  if (values.undo && (wanted !== undefined || values.job !== undefined)) throw new UsageError('--undo takes no backup and no --job');
  if (values.job !== undefined && wanted !== undefined) throw new UsageError('name a backup or --job, not both');
  if (values.job === '') throw new UsageError('--job needs a restore job id');
  const target = findGame(loadDeployment(values), gameId);
  if (!values.undo && values.job === undefined && wanted === undefined) {
    throw new UsageError(`name a backup: an id from \`gm backups ${target.game.id}\`, or latest`);
  }
  const options: Options = { yes: values.yes ?? false, stop: values.stop ?? false };
  if (values.undo) return undo(target, io, options, context);
  let world: World;
  try {
    world = await findWorld(target);
  } catch (e) {
    if (!(e instanceof WorldNotFoundError)) throw e;
    io.err(e.message);
    return EXIT_FAILED;
  }
  return values.job !== undefined
    ? restoreFromJob(target, world, values.job, io, options, context)
    : restorePoint(target, world, wanted ?? 'latest', io, options, context);
}

/** The command with its own clock and time zone (tests pass a simulated clock and a zone). */
export function restoreCommandWith(context: RestoreContext): Command {
  return {
    name: 'restore',
    summary: "restore a game's world from a backup (put in place at the next start; the current world is kept)",
    usage: USAGE,
    run: (args, io) => runRestore(args, io, context),
  };
}

export const restoreCommand: Command = restoreCommandWith({ clock: systemClock });
