/**
 * `gm logs` in process: CloudWatch Logs answered by aws-sdk-client-mock with
 * FilterLogEvents responses as AWS documents them, time from a test clock
 * (nothing sleeps), Ctrl-C pressed through the captured io. Times print in
 * UTC here so each line can be stated exactly.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand, type FilterLogEventsCommandInput, type FilterLogEventsCommandOutput, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogsCommand, FOLLOW_INTERVAL_MS, type LogsDependencies } from '../../src/cli/commands/logs';
import { main } from '../../src/cli/main';
import { awsError, throttling } from '../support/aws-errors';
import { deploymentYaml } from '../support/deployment-yaml';
import { captureIo, type CapturedIo } from '../support/cli-io';
import { testClock, type TestClock } from '../support/clock';
import { REPO_ROOT } from './run-cli';

const NOW = '2026-11-30T10:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const HOUR_MS = 3_600_000;
/** examples/minecraft-java.yaml: prefix gm, region eu-west-1, one game, mc. */
const MC_CONFIG = join(REPO_ROOT, 'examples/minecraft-java.yaml');
/** Two games, so that a wrong id has more than one to list. */
const TWO_GAMES_YAML = deploymentYaml(`
  mc:
    image: itzg/minecraft-server:java21
    instanceType: t4g.medium
    ports:
      - port: 25565
  valheim:
    image: lloesche/valheim-server
    instanceType: t3.medium
    ports:
      - port: 2456
        protocol: udp
`);
const LOG_GROUP = '/gm/mc/game';
/** The awslogs driver's stream: <awslogs-stream-prefix>/<container name>/<task id>. */
const STREAM = 'mc/game/3f2c9e0b8a7d4c1e9f6a5b4c3d2e1f00';
const NEXT_STREAM = 'mc/game/8d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a';

const logs = mockClient(CloudWatchLogsClient);

let clock: TestClock;
let configDir: string;
let twoGamesConfig: string;

beforeAll(() => {
  configDir = mkdtempSync(join(tmpdir(), 'gm-logs-'));
  twoGamesConfig = join(configDir, 'two-games.yaml');
  writeFileSync(twoGamesConfig, TWO_GAMES_YAML);
});

beforeEach(() => {
  logs.reset();
  clock = testClock(NOW);
});

afterAll(() => {
  logs.restore();
  rmSync(configDir, { recursive: true, force: true });
});

let ids = 0;
/** One event as FilterLogEvents returns it; `at` is an ISO time. */
function event(at: string, message: string, options: { eventId?: string; stream?: string } = {}): FilteredLogEvent {
  const timestamp = Date.parse(at);
  ids += 1;
  return {
    logStreamName: options.stream ?? STREAM,
    timestamp,
    message,
    ingestionTime: timestamp + 1200,
    eventId: options.eventId ?? `3713262927494551977980532285720373558671445464339159${String(ids).padStart(4, '0')}`,
  };
}

function page(events: FilteredLogEvent[], nextToken?: string): FilterLogEventsCommandOutput {
  return {
    $metadata: { httpStatusCode: 200, requestId: '9f7c2a1e-5b6d-4c3e-8a9f-0b1c2d3e4f5a', attempts: 1, totalRetryDelay: 0 },
    events,
    searchedLogStreams: [{ logStreamName: STREAM, searchedCompletely: nextToken === undefined }],
    ...(nextToken === undefined ? {} : { nextToken }),
  };
}

function run(args: string[], captured: CapturedIo = captureIo(), deps: Partial<LogsDependencies> = {}): Promise<number> {
  const command = createLogsCommand({ clock, timeZone: 'UTC', env: { GM_CONFIG: MC_CONFIG }, ...deps });
  return main(['logs', ...args], captured.io, [command]);
}

function requests(): FilterLogEventsCommandInput[] {
  return logs.commandCalls(FilterLogEventsCommand).map((call) => call.args[0].input);
}

/** Presses Ctrl-C at the `n`th sleep of the follow loop. */
function interruptAtSleep(captured: CapturedIo, n: number): void {
  clock.onSleep = () => {
    if (clock.sleeps.length >= n) captured.interrupt();
  };
}

describe('gm logs', () => {
  it('prints every page of the last hour as "<local time>  <line>", oldest first, across the task streams', async () => {
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce(page([event('2026-11-30T09:10:00.250Z', '[Server thread/INFO]: Starting minecraft server version 1.21.4\n'), event('2026-11-30T09:40:00.000Z', '[Server thread/INFO]: Stopping server\n')], 'token-1'))
      // The next page holds an earlier line of another task's stream: the output is still in time order.
      .resolvesOnce(page([], 'token-2'))
      .resolvesOnce(page([event('2026-11-30T09:20:05.042Z', '[Server thread/INFO]: ana joined the game\n', { stream: NEXT_STREAM })]));
    const captured = captureIo();

    expect(await run(['mc'], captured)).toBe(0);

    expect(captured.out).toEqual([
      '2026-11-30T09:10:00.250+00:00  [Server thread/INFO]: Starting minecraft server version 1.21.4',
      '2026-11-30T09:20:05.042+00:00  [Server thread/INFO]: ana joined the game',
      '2026-11-30T09:40:00.000+00:00  [Server thread/INFO]: Stopping server',
    ]);
    expect(captured.err).toEqual([]);
    expect(requests()).toEqual([
      { logGroupName: LOG_GROUP, startTime: NOW_MS - HOUR_MS, nextToken: undefined },
      { logGroupName: LOG_GROUP, startTime: NOW_MS - HOUR_MS, nextToken: 'token-1' },
      { logGroupName: LOG_GROUP, startTime: NOW_MS - HOUR_MS, nextToken: 'token-2' },
    ]);
  });

  it("asks the config's region, or the one --region names", async () => {
    logs.on(FilterLogEventsCommand).resolves(page([event('2026-11-30T09:59:00Z', 'Done (4.2s)! For help, type "help"')]));

    await run(['mc']);
    await run(['mc', '--region', 'us-east-2']);

    const regions = await Promise.all(logs.commandCalls(FilterLogEventsCommand).map((call) => (call.thisValue as CloudWatchLogsClient).config.region()));
    expect(regions).toEqual(['eu-west-1', 'us-east-2']);
  });

  it.each([
    ['30s', NOW_MS - 30_000],
    ['10m', NOW_MS - 600_000],
    ['1h', NOW_MS - HOUR_MS],
    ['2d', NOW_MS - 2 * 24 * HOUR_MS],
    ['2026-11-30T08:30:00Z', Date.parse('2026-11-30T08:30:00Z')],
    ['2026-11-30T09:30+01:00', Date.parse('2026-11-30T08:30:00Z')],
  ])('--since %s reads from %d', async (since, startTime) => {
    logs.on(FilterLogEventsCommand).resolves(page([event('2026-11-30T09:59:00Z', 'Saving the game')]));

    expect(await run(['mc', '--since', since])).toBe(0);

    expect(requests()).toEqual([{ logGroupName: LOG_GROUP, startTime, nextToken: undefined }]);
  });

  it('prints a message as the game wrote it: inner line breaks kept, the line end dropped', async () => {
    const trace = 'java.lang.IllegalStateException: chunk not loaded\n\tat net.minecraft.world.level.Level.getChunk(Level.java:212)\n\tat java.base/java.lang.Thread.run(Thread.java:1583)\r\n';
    logs.on(FilterLogEventsCommand).resolves(page([event('2026-11-30T09:59:00Z', trace), event('2026-11-30T09:59:01Z', 'no line end')]));
    const captured = captureIo();

    await run(['mc'], captured);

    expect(captured.out).toEqual([
      '2026-11-30T09:59:00.000+00:00  java.lang.IllegalStateException: chunk not loaded\n\tat net.minecraft.world.level.Level.getChunk(Level.java:212)\n\tat java.base/java.lang.Thread.run(Thread.java:1583)',
      '2026-11-30T09:59:01.000+00:00  no line end',
    ]);
  });

  it("prints times in the reader's time zone, with its offset", async () => {
    logs.on(FilterLogEventsCommand).resolves(page([event('2026-11-30T09:59:00.500Z', 'Saved the game')]));
    const captured = captureIo();

    await run(['mc'], captured, { timeZone: 'Asia/Kolkata' });

    expect(captured.out).toEqual(['2026-11-30T15:29:00.500+05:30  Saved the game']);
  });

  it('says in one line on stderr that there is nothing since the start, and exits 0', async () => {
    logs.on(FilterLogEventsCommand).resolves(page([]));
    const today = captureIo();
    const earlier = captureIo();

    expect(await run(['mc', '--since', '1h'], today)).toBe(0);
    expect(await run(['mc', '--since', '2d'], earlier)).toBe(0);

    expect(today.out).toEqual([]);
    expect(today.err).toEqual(['no log lines for mc since 09:00 (the game has not run since then?)']);
    expect(earlier.err).toEqual(['no log lines for mc since 2026-11-28 10:00 (the game has not run since then?)']);
  });

  it('says the game has no log yet when the log group does not exist, and exits 1', async () => {
    logs.on(FilterLogEventsCommand).rejects(awsError('ResourceNotFoundException', 'The specified log group does not exist.'));
    const captured = captureIo();

    expect(await run(['mc'], captured)).toBe(1);

    expect(captured.out).toEqual([]);
    expect(captured.err).toEqual(['gm logs: mc has no log yet (it has never started since deploy; looked for log group /gm/mc/game in eu-west-1)']);
  });

  it.each([
    ['90', 'is neither a duration nor an ISO time'],
    ['1w', 'is neither a duration nor an ISO time'],
    ['yesterday', 'is neither a duration nor an ISO time'],
    ['0m', 'must be longer than zero'],
    ['2026-11-31T10:00:00Z', 'is not a valid time'],
    ['2026-12-01T10:00:00Z', 'is in the future'],
  ])('refuses --since %s with the forms it accepts (exit 2, nothing asked of AWS)', async (since, why) => {
    const captured = captureIo();

    expect(await run(['mc', '--since', since], captured)).toBe(2);

    expect(captured.err[0]).toBe(
      `gm logs: --since ${why}, got "${since}"; give a duration back from now (30s, 10m, 1h, 2d) or an ISO time (2026-11-30T10:00 or 2026-11-30T10:00:00Z)`,
    );
    expect(captured.err[1]).toMatch(/^usage: gm logs <game>/);
    expect(requests()).toEqual([]);
  });

  it('lists the games of the configuration when the id is wrong or missing (exit 2)', async () => {
    const wrong = captureIo();
    const missing = captureIo();

    expect(await run(['minecraft'], wrong, { env: { GM_CONFIG: twoGamesConfig } })).toBe(2);
    expect(await run([], missing, { env: { GM_CONFIG: twoGamesConfig } })).toBe(2);

    const file = 'two-games.yaml';
    expect(wrong.err[0]).toMatch(new RegExp(`^gm logs: no game "minecraft" in \\S*${file}; games in \\S*${file}: mc, valheim$`));
    expect(missing.err[0]).toMatch(new RegExp(`^gm logs: name a game; games in \\S*${file}: mc, valheim$`));
    expect(requests()).toEqual([]);
  });

  describe('AWS failures, one line each, exit 1', () => {
    it('no credentials', async () => {
      logs.on(FilterLogEventsCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
      const captured = captureIo();

      expect(await run(['mc'], captured)).toBe(1);

      expect(captured.err).toHaveLength(1);
      expect(captured.err[0]).toMatch(/^gm logs: no AWS credentials found/);
      expect(captured.out).toEqual([]);
    });

    it('access denied names the action', async () => {
      const arn = 'arn:aws:logs:eu-west-1:123456789012:log-group:/gm/mc/game:log-stream:';
      logs
        .on(FilterLogEventsCommand)
        .rejects(awsError('AccessDeniedException', `User: arn:aws:iam::123456789012:user/ana is not authorized to perform: logs:FilterLogEvents on resource: ${arn}`));
      const captured = captureIo();

      expect(await run(['mc'], captured)).toBe(1);

      expect(captured.err).toEqual([`gm logs: AWS denied logs:FilterLogEvents on ${arn}: your credentials need that permission (npm run --silent gm -- policy prints the policy gm needs)`]);
    });

    it('throttling that outlasted the SDK retries', async () => {
      logs.on(FilterLogEventsCommand).rejects(throttling());
      const captured = captureIo();

      expect(await run(['mc'], captured)).toBe(1);

      expect(captured.err).toHaveLength(1);
      expect(captured.err[0]).toMatch(/^gm logs: AWS kept answering ThrottlingException.* after 5 attempts: try again in a minute$/);
    });
  });

  describe('--follow', () => {
    it('polls every 2 s from the newest line seen, prints each event once, and ends quietly at Ctrl-C', async () => {
      const saved = event('2026-11-30T09:59:58.000Z', 'Saved the game');
      const joined = event('2026-11-30T10:00:01.000Z', 'ana joined the game');
      // Written in the same millisecond as `joined`, but delivered to CloudWatch a poll later.
      const sameMs = event('2026-11-30T10:00:01.000Z', '<ana> hello');
      const left = event('2026-11-30T10:00:04.500Z', 'ana left the game');
      logs
        .on(FilterLogEventsCommand)
        .resolvesOnce(page([saved]))
        .resolvesOnce(page([saved, joined]))
        .resolvesOnce(page([joined, sameMs]))
        .resolvesOnce(page([joined, sameMs, left]))
        .resolves(page([left]));
      const captured = captureIo();
      interruptAtSleep(captured, 5);

      expect(await run(['mc', '--follow'], captured)).toBe(0);

      expect(captured.out).toEqual([
        '2026-11-30T09:59:58.000+00:00  Saved the game',
        '2026-11-30T10:00:01.000+00:00  ana joined the game',
        '2026-11-30T10:00:01.000+00:00  <ana> hello',
        '2026-11-30T10:00:04.500+00:00  ana left the game',
      ]);
      expect(captured.err).toEqual([]);
      expect(clock.sleeps).toEqual([FOLLOW_INTERVAL_MS, FOLLOW_INTERVAL_MS, FOLLOW_INTERVAL_MS, FOLLOW_INTERVAL_MS, FOLLOW_INTERVAL_MS]);
      expect(requests().map((r) => r.startTime)).toEqual([NOW_MS - HOUR_MS, saved.timestamp, joined.timestamp, joined.timestamp, left.timestamp]);
    });

    it('reads every page of a poll', async () => {
      logs
        .on(FilterLogEventsCommand)
        .resolvesOnce(page([event('2026-11-30T09:59:00Z', 'first')]))
        .resolvesOnce(page([event('2026-11-30T10:00:01Z', 'second')], 'poll-token'))
        .resolvesOnce(page([event('2026-11-30T10:00:02Z', 'third')]))
        .resolves(page([]));
      const captured = captureIo();
      interruptAtSleep(captured, 2);

      expect(await run(['mc', '-f'], captured)).toBe(0);

      expect(captured.out.map((line) => line.split('  ')[1])).toEqual(['first', 'second', 'third']);
      expect(requests()[2]).toEqual({ logGroupName: LOG_GROUP, startTime: Date.parse('2026-11-30T09:59:00Z'), nextToken: 'poll-token' });
    });

    it('says once that nothing came yet, then prints the lines as the game starts writing', async () => {
      logs
        .on(FilterLogEventsCommand)
        .resolvesOnce(page([]))
        .resolvesOnce(page([]))
        .resolves(page([event('2026-11-30T10:00:03Z', 'Starting minecraft server version 1.21.4')]));
      const captured = captureIo();
      interruptAtSleep(captured, 3);

      expect(await run(['mc', '--follow', '--since', '10m'], captured)).toBe(0);

      expect(captured.err).toEqual(['no log lines for mc since 09:50 (the game has not run since then?)']);
      expect(captured.out).toEqual(['2026-11-30T10:00:03.000+00:00  Starting minecraft server version 1.21.4']);
      expect(requests().map((r) => r.startTime)).toEqual([NOW_MS - 600_000, NOW_MS - 600_000, NOW_MS - 600_000]);
    });

    it('keeps following through throttling, saying so on the progress line', async () => {
      logs
        .on(FilterLogEventsCommand)
        .resolvesOnce(page([event('2026-11-30T09:59:00Z', 'before')]))
        .rejectsOnce(throttling())
        .resolves(page([event('2026-11-30T10:00:03Z', 'after')]));
      const captured = captureIo();
      interruptAtSleep(captured, 3);

      expect(await run(['mc', '--follow'], captured)).toBe(0);

      expect(captured.out.map((line) => line.split('  ')[1])).toEqual(['before', 'after']);
      expect(captured.err).toEqual([]);
      expect(captured.progress).toEqual(['AWS is slow to answer (ThrottlingException); still following mc', undefined, undefined]);
    });

    it('stops at Ctrl-C while the first pages are read, printing nothing', async () => {
      const captured = captureIo();
      logs.on(FilterLogEventsCommand).callsFake(() => {
        captured.interrupt();
        return Promise.resolve(page([event('2026-11-30T09:59:00Z', 'a line of a long history')], 'more'));
      });

      expect(await run(['mc', '--follow', '--since', '2d'], captured)).toBe(0);

      expect(captured.out).toEqual([]);
      expect(captured.err).toEqual([]);
      expect(requests()).toHaveLength(1);
      expect(clock.sleeps).toEqual([]);
    });

    it('ends with one line when access is denied mid-follow (exit 1)', async () => {
      logs
        .on(FilterLogEventsCommand)
        .resolvesOnce(page([event('2026-11-30T09:59:00Z', 'before')]))
        .rejects(awsError('AccessDeniedException', 'User: arn:aws:iam::123456789012:user/ana is not authorized to perform: logs:FilterLogEvents on resource: arn:aws:logs:eu-west-1:123456789012:log-group:/gm/mc/game:log-stream:'));
      const captured = captureIo();

      expect(await run(['mc', '--follow'], captured)).toBe(1);

      expect(captured.out).toHaveLength(1);
      expect(captured.err).toHaveLength(1);
      expect(captured.err[0]).toMatch(/^gm logs: AWS denied logs:FilterLogEvents on /);
    });

    it('ends with one line when the log group is deleted mid-follow (exit 1)', async () => {
      logs
        .on(FilterLogEventsCommand)
        .resolvesOnce(page([event('2026-11-30T09:59:00Z', 'before')]))
        .rejects(awsError('ResourceNotFoundException', 'The specified log group does not exist.'));
      const captured = captureIo();

      expect(await run(['mc', '--follow'], captured)).toBe(1);

      expect(captured.err).toEqual(['gm logs: the log group /gm/mc/game was deleted while following (was mc destroyed?)']);
    });
  });
});
