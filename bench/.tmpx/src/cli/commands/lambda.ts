/**
 * `gm lambda <name> --event <file.json>`: runs a function's handler on this
 * machine with the caller's environment (GM_GAME, AWS_REGION, credentials…),
 * prints its result and how long each step took. With --dry-run the shared
 * `withDryRun` clients make reads but print writes instead of making them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { takeStepTimings } from '../../lambdas/shared/steps';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type Command } from '../command';
import type { CliIo } from '../io';
import { parseOptions } from '../parse-options';
import { formatStepTimings } from '../lambda/format-timings';
import { DEFAULT_LAMBDAS_DIR, listLambdas, loadHandler, type LambdaHandler } from '../lambda/lambda-folders';
import { createLocalContext } from '../lambda/local-context';

const USAGE = `usage: gm lambda <name> --event <file.json> [--dry-run] [--stack] [--lambdas-dir <dir>]
  <name>          a folder of src/lambdas with a handler.ts (e.g. watchdog)
  --event         JSON file with the event to pass to the handler
  --dry-run       make reads, print writes instead of making them (sets GM_DRY_RUN=1)
  --stack         print the stack trace when the handler fails
  --lambdas-dir   where the function folders are (default: src/lambdas)
The handler reads its settings (GM_GAME, GM_GAMES, AWS_REGION…) from your environment.`;

interface LambdaRun {
  readonly name: string;
  readonly eventFile: string | undefined;
  readonly dryRun: boolean;
  readonly stack: boolean;
  readonly lambdasDir: string;
}

function parseLambdaArgs(args: readonly string[], defaultLambdasDir: string): LambdaRun {
  const { values, positionals } = parseOptions(args, {
    event: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    stack: { type: 'boolean', default: false },
    'lambdas-dir': { type: 'string' },
  });
  const lambdasDir = values['lambdas-dir'] === undefined ? defaultLambdasDir : resolve(values['lambdas-dir']);
  const [name, ...extra] = positionals;
  if (!name) throw new UsageError(`name the function to run; available: ${describeAvailable(lambdasDir)}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  return { name, eventFile: values.event, dryRun: values['dry-run'] === true, stack: values.stack === true, lambdasDir };
}

function describeAvailable(lambdasDir: string): string {
  const names = listLambdas(lambdasDir);
  return names.length > 0 ? names.join(', ') : `none (no folder with a handler.ts in ${lambdasDir})`;
}

function readEvent(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the event file ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`the event file ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

function describeError(e: unknown, withStack: boolean): string {
  if (!(e instanceof Error)) return String(e);
  if (withStack && e.stack) return e.stack;
  // AWS SDK errors carry their meaning in the name (ThrottlingException, AccessDenied…).
  return e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
}

export async function runLambda(args: readonly string[], io: CliIo, defaultLambdasDir: string = DEFAULT_LAMBDAS_DIR): Promise<number> {
  const run = parseLambdaArgs(args, defaultLambdasDir);
  if (!listLambdas(run.lambdasDir).includes(run.name)) {
    io.err(`gm lambda: unknown function "${run.name}"; available: ${describeAvailable(run.lambdasDir)}`);
    return EXIT_USAGE;
  }
  // Checked after the name, so a wrong name is reported first, with the list of right ones.
  if (!run.eventFile) throw new UsageError('--event <file.json> is required (a file holding the event as JSON)');
  const event = readEvent(run.eventFile);
  // Before the handler module loads: clients may be created (and wrapped) as soon as it is imported.
  if (run.dryRun) process.env.GM_DRY_RUN = '1';

  let handler: LambdaHandler;
  try {
    handler = loadHandler(run.lambdasDir, run.name);
  } catch (e) {
    io.err(`gm lambda ${run.name}: cannot load the handler: ${describeError(e, run.stack)}`);
    return EXIT_FAILED;
  }

  takeStepTimings(); // drop anything recorded while the module loaded
  // The total is the handler call alone: loading here compiles TypeScript,
  // which says nothing about the bundled function's cold start.
  const started = performance.now();
  let failed = false;
  try {
    const result = await handler(event, createLocalContext(run.name));
    io.out(JSON.stringify(result ?? null, null, 2));
  } catch (e) {
    failed = true;
    io.err(`gm lambda ${run.name} failed: ${describeError(e, run.stack)}`);
  }
  const totalMs = performance.now() - started;
  io.out('steps:');
  for (const line of formatStepTimings(takeStepTimings(), totalMs)) io.out(line);
  return failed ? EXIT_FAILED : EXIT_OK;
}

export const lambdaCommand: Command = {
  name: 'lambda',
  summary: "run a function's handler here with an event file (--dry-run prints writes); times each step",
  usage: USAGE,
  run: (args, io) => runLambda(args, io),
};
