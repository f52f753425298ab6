/** Every text of the waker a human reads: the "starting" notice, log sentences, errors. */
import type { Notice } from '../shared/notices';
import { describeError } from '../shared/transient';
import type { GameMatch, GameOutcome } from './decide';

/** The "starting" notice: which query woke the game, so a surprise wake can be traced. */
export function startingNotice(match: GameMatch): Notice {
  const { route, first, count } = match;
  const others = count > 1 ? ` (${count} matching queries in this batch)` : '';
  return {
    subject: `starting ${route.fqdn}`,
    message:
      `Starting ${route.fqdn}: a ${first.queryType} query for ${first.queryName} at ${first.timestamp} ` +
      `through edge location ${first.edgeLocation} (resolver ${first.resolverIp}) woke it${others}. ` +
      'It is usually ready in one to three minutes.',
  };
}

export const LOG = {
  malformedEvent: 'skipped an event that is not a CloudWatch Logs subscription payload',
  controlMessage: 'ignored a control message (CloudWatch Logs checking the destination; it carries no queries)',
  malformedLines: 'skipped query-log lines that are not in the Route53 format',
  started: 'started game',
  alreadyUp: 'game already up or starting',
  deferred: 'wake recorded while the previous host stops: the end of the stop starts the game',
  failed: 'could not wake game; the batch is handed back to Lambda, whose retry repeats the wake',
  noticeFailed: 'the game is starting, but the "starting" notice could not be published',
} as const;

export function missingGroup(outcome: GameOutcome, region: string): string {
  return (
    `Auto Scaling group ${outcome.match.route.asgName} of game ${outcome.game} does not exist in ${region}; ` +
    "check the waker's routes.json and GM_GAME_REGION against the deployed stack (cdktf deploy)"
  );
}

/** The error that hands the batch back to Lambda. */
export function batchFailure(failed: readonly Extract<GameOutcome, { result: 'failed' }>[]): string {
  return (
    `could not wake ${failed.map((f) => `${f.game} (${describeError(f.error)})`).join('; ')}; ` +
    'the batch will be retried, and repeating the wake is harmless'
  );
}

export function routesProblem(file: string, problem: string): string {
  return (
    `the waker's routing table ${file} ${problem}. It is written at synth and packed beside the code; ` +
    'redeploy (cdktf deploy), or for a local run point GM_ROUTES_FILE at a routes file'
  );
}
