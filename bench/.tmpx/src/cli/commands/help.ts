import type { Command } from '../command';

/** The one screen `gm help` (and `gm` alone) prints. */
export function helpText(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 'help'.length);
  const rows = [...commands.map((c) => [c.name, c.summary] as const), ['help', 'show this screen'] as const];
  return [
    'gm: operate the GameManagement game servers',
    '',
    'usage: npm run --silent gm -- <command> [options]',
    '',
    'commands:',
    ...rows.map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    'Run `npm run --silent gm -- <command> --help` for the options of a command.',
    'Exit status: 0 done, 1 failed, 2 wrong command line.',
  ].join('\n');
}
