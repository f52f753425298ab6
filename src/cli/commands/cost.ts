/**
 * `gm cost [game]`: what the deployment costs, priced from the stacks synth
 * builds (not a hand-kept list): per game the idle month, the running hour
 * and a month of play; the shared lines; two totals, at list price and after
 * the AWS free tier. No AWS call: it needs no credentials and works before
 * the first deploy.
 */
import { findGame, loadDeployment } from '../aws/deployment';
import { EXIT_OK, UsageError, type Command } from '../command';
import { costJson, costText } from '../cost/format';
import type { CliIo } from '../io';
import { parseInteger, parseOptions } from '../parse-options';
import { DEFAULT_HOURS_PER_MONTH, DEFAULT_WORLD_GB } from '../../cost/assumptions';
import { estimateCost } from '../../cost/estimate';

const USAGE = `usage: gm cost [game] [--hours <n>] [--world-gb <n>] [--json]
  game            one game of the configuration (default: every game)
  --hours <n>     hours of play a month per game (default ${DEFAULT_HOURS_PER_MONTH})
  --world-gb <n>  GB of world data per game, e.g. 0.5 or 3 (default ${DEFAULT_WORLD_GB})
  --json          one JSON document with every line (quantity, unit price, source),
                  the free resources with why they are free, and the totals
Prices come from the table in the repository (src/cost), with their sources and
dates; a price it lacks is named, never guessed, and the totals say they are
incomplete. No AWS call is made and no credentials are needed.
The configuration file is GM_CONFIG (default gamemanagement.yaml).`;

/** Most hours a month has: 31 days. */
const MAX_HOURS = 744;
const MAX_WORLD_GB = 100_000;

function parseWorldGb(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new UsageError(`--world-gb must be a number of GB such as 1 or 2.5, got "${value}"`);
  const gb = Number(value);
  if (gb <= 0 || gb > MAX_WORLD_GB) throw new UsageError(`--world-gb must be above 0 and at most ${MAX_WORLD_GB}, got ${gb}`);
  return gb;
}

export function createCostCommand(env: NodeJS.ProcessEnv = process.env): Command {
  return {
    name: 'cost',
    summary: 'what the deployment costs: idle month, running hour, a month of play, at list price and after the free tier',
    usage: USAGE,
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const { values, positionals } = parseOptions(args, {
        hours: { type: 'string' },
        'world-gb': { type: 'string' },
        json: { type: 'boolean' },
      });
      if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
      // Options first: a typo in them is found without reading the configuration.
      const hoursPerMonth = values.hours === undefined ? DEFAULT_HOURS_PER_MONTH : parseInteger(values.hours, '--hours', 0, MAX_HOURS);
      const worldGb = values['world-gb'] === undefined ? DEFAULT_WORLD_GB : parseWorldGb(values['world-gb']);
      const deployment = loadDeployment({}, env);
      const id = positionals[0];
      let config = deployment.config;
      // One game, when named; the shared lines stay: they bill for one game as for many.
      if (id !== undefined) config = { ...config, games: [findGame(deployment, id).game] };
      // Loaded here, not at start-up: the cdktf app would cost every other gm command most of a second.
      // What synth itself refuses (a function environment past Lambda's limit) is main's to print.
      const { synthesizedResources } = await import('../../cost/synthesize');
      const resources = synthesizedResources(config, deployment.file);
      const report = estimateCost(config, resources, { worldGb, hoursPerMonth });
      if (values.json === true) io.out(costJson(report));
      else for (const line of costText(report)) io.out(line);
      return EXIT_OK;
    },
  };
}

export const costCommand: Command = createCostCommand();
