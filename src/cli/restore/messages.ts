/** What `gm restore` says, in one place: the lines the tests read one by one. */
import { WORLD_MOUNT_PATH, VOLUMES_DIRECTORY } from '../../runtime/world-paths';
import { gmCommandLine } from '../command';

/** Where a folder of the world is on the game host. */
export function onHost(folder: string): string {
  return `${WORLD_MOUNT_PATH}/${folder}`;
}

/** What happens at the next start once a swap request is written. */
export function swapLines(gameId: string, keep: string, putInPlace: string): string[] {
  return [
    `at ${gameId}'s next start, before the game starts:`,
    `  ${putInPlace} goes in place at ${onHost(VOLUMES_DIRECTORY)}`,
    `  the current world is kept in ${onHost(`${keep}/${VOLUMES_DIRECTORY}`)}`,
  ];
}

export function undoLine(gameId: string): string {
  return `to undo: ${gmCommandLine(`restore ${gameId} --undo`)} (before that start it cancels this; after it, it puts the kept world back at the following start)`;
}

export function interruptedLines(gameId: string, jobId: string): string[] {
  return [
    `interrupted: ${gameId}'s world is untouched`,
    `AWS Backup's restore job ${jobId} goes on; its copy is not used unless you run ${gmCommandLine(`restore ${gameId} --job ${jobId}`)} once it has finished`,
  ];
}
