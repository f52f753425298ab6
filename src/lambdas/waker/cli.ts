/**
 * Runs the waker handler locally with the same environment it has in Lambda
 * (GM_GAMES, GM_GAME_REGION, GM_TOPIC_ARN) and prints the result and how long
 * each step took.
 *
 *   tsx src/lambdas/waker/cli.ts --event event.json [--dry-run]
 *   tsx src/lambdas/waker/cli.ts --line "1.0 2024-05-01T10:00:00Z Z1 _minecraft._tcp.mc.example.com SRV NOERROR UDP FRA6 192.0.2.9 -" [--line …] [--dry-run]
 *
 * `--event` takes a CloudWatch Logs subscription event ({"awslogs":{"data":…}});
 * `--line` builds one from raw query-log lines. `--dry-run` describes the
 * groups but prints the scaling call and the notice instead of making them.
 */
import { readFileSync } from 'node:fs';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { takeStepTimings } from '../shared/steps';
import { encodeLogsPayload } from './logic';

function parseArgs(argv: readonly string[]): { eventFile?: string; lines: string[]; dryRun: boolean } {
  const lines: string[] = [];
  let eventFile: string | undefined;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dry-run') dryRun = true;
    else if (arg === '--event') eventFile = argv[++i];
    else if (arg === '--line') lines.push(argv[++i] ?? '');
    else throw new Error(`unknown argument "${arg}"; use --event <file.json>, --line "<query-log line>" and --dry-run`);
  }
  if (!eventFile && lines.length === 0) throw new Error('give --event <file.json> or at least one --line "<query-log line>"');
  return { ...(eventFile ? { eventFile } : {}), lines, dryRun };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.dryRun) process.env.GM_DRY_RUN = '1';
  const event: CloudWatchLogsEvent = args.eventFile
    ? (JSON.parse(readFileSync(args.eventFile, 'utf8')) as CloudWatchLogsEvent)
    : {
        awslogs: {
          data: encodeLogsPayload({
            messageType: 'DATA_MESSAGE',
            logEvents: args.lines.map((message, i) => ({ id: String(i), timestamp: Date.now(), message })),
          }),
        },
      };
  // Imported after GM_DRY_RUN is set: the clients read it when they are created.
  const { handler } = await import('./handler');
  try {
    console.log(JSON.stringify(await handler(event), null, 2));
  } finally {
    for (const t of takeStepTimings()) console.log(`${t.ok ? 'ok  ' : 'FAIL'} ${t.ms.toFixed(0).padStart(6)} ms  ${t.name}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
