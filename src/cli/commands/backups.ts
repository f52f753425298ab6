/**
 * `gm backups <game>`: the world's recovery points (AWS Backup), newest
 * first: when, how big, their status, and the id `gm restore` takes.
 */
import { AWS_OPTIONS, AWS_OPTIONS_USAGE, findGame, loadDeployment } from '../aws/deployment';
import { findWorld, listRecoveryPoints, noRecoveryPointsLine, WorldNotFoundError, type RecoveryPoint } from '../aws/world';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from '../command';
import type { CliIo } from '../io';
import { parseOptions } from '../parse-options';
import { humanSize, localIsoTime, table } from '../restore/format';

const USAGE = `usage: gm backups <game> [--profile <name>] [--region <name>]
Lists the recovery points of the game's world (AWS Backup's daily backups),
newest first: date (your local time), size, status, the id that
\`gm restore <game> <id>\` takes (or \`latest\`), and the vault it is in
(<name>-worlds; copies in aws/efs/automatic-backup-vault cannot be restored).
${AWS_OPTIONS_USAGE}`;

/** `timeZone`: where dates are printed (default the local zone; tests pass one). */
export function recoveryPointRows(points: readonly RecoveryPoint[], timeZone?: string): string[] {
  // The vault tells the deployment's copies from older ones of EFS's automatic backups, which cannot be restored as they are.
  return table(
    ['DATE', 'SIZE', 'STATUS', 'ID', 'VAULT'],
    points.map((p) => [localIsoTime(p.createdAt, timeZone), p.sizeBytes === undefined ? '-' : humanSize(p.sizeBytes), p.status, p.id, p.vaultName ?? '-']),
  );
}

export async function runBackups(args: readonly string[], io: CliIo, timeZone?: string): Promise<number> {
  const { values, positionals } = parseOptions(args, { ...AWS_OPTIONS });
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const target = findGame(loadDeployment(values), positionals[0]);
  let points: RecoveryPoint[];
  try {
    points = await listRecoveryPoints(target, await findWorld(target));
  } catch (e) {
    if (!(e instanceof WorldNotFoundError)) throw e;
    io.err(e.message);
    return EXIT_FAILED;
  }
  if (points.length === 0) {
    io.out(noRecoveryPointsLine(target));
    return EXIT_OK;
  }
  for (const line of recoveryPointRows(points, timeZone)) io.out(line);
  return EXIT_OK;
}

/** The command printing dates in `timeZone` (default the local zone). */
export function backupsCommandWith(timeZone?: string): Command {
  return {
    name: 'backups',
    summary: "list a game world's backups (date, size, status, id for gm restore, vault)",
    usage: USAGE,
    run: (args, io) => runBackups(args, io, timeZone),
  };
}

export const backupsCommand: Command = backupsCommandWith();
