import '../../support/powertools-env';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endSession } from '../../../src/lambdas/shared/session';
import { FakeWorld } from './fake-world';
import {
  GAME_REGION,
  MC_SRV,
  MINECRAFT,
  NOW,
  TOPIC_ARN,
  VALHEIM,
  VH_A,
  route,
  waker,
  wakerEnv,
} from './fixtures';
import { logsEvent, queryLine } from '../../support/events';
import { writeRoutesFile } from '../../support/game';
import { capturePowertools } from '../../support/powertools-output';

let world: FakeWorld;
const output = capturePowertools();

beforeEach(() => {
  world = new FakeWorld();
});

describe('waker: a lookup starts a stopped game', () => {
  it('claims the session, sets the group to 1 in the game region and announces "starting" once', async () => {
    world.stopped(MINECRAFT.asgName);

    await expect(waker()(logsEvent([MC_SRV]))).resolves.toEqual({ messageType: 'DATA_MESSAGE', lines: 1, malformed: 0, games: { minecraft: 'started' } });

    expect(world.groups.get(MINECRAFT.asgName)?.desired).toBe(1);
    expect(world.callsOf('SetDesiredCapacity').map((c) => c.input)).toEqual([
      { AutoScalingGroupName: MINECRAFT.asgName, DesiredCapacity: 1, HonorCooldown: false },
    ]);
    expect(JSON.parse(world.parameters.get(MINECRAFT.sessionParameterName) ?? 'null')).toEqual({
      startedAt: NOW.toISOString(),
      source: 'lookup',
      lookupAt: '2024-05-01T10:00:00.000Z',
      query: '_minecraft._tcp.mc.example.com SRV',
    });
    expect(world.published).toEqual([
      {
        region: 'eu-central-1',
        TopicArn: TOPIC_ARN,
        Subject: 'starting mc.example.com',
        Message: expect.stringContaining('SRV query for _minecraft._tcp.mc.example.com at 2024-05-01T10:00:00.000Z through edge location FRA6'),
      },
    ]);
    expect(world.calls.filter((c) => c.command !== 'Publish').every((c) => c.region === GAME_REGION)).toBe(true);
    // The wake call 3 s after the lookup, measured once: only the start that claimed the session.
    expect(output.metrics()).toEqual([{ name: 'Wakes', value: 1, game: 'minecraft' }, { name: 'LookupToWakeSeconds', value: 3, game: 'minecraft' }]);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'started game', game: 'minecraft' }));
  });

  it('makes the game calls in GM_GAME_REGION and publishes in the topic region', async () => {
    world.stopped(MINECRAFT.asgName);
    const env = wakerEnv([MINECRAFT], { GM_GAME_REGION: 'ap-southeast-2', GM_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:gm-alerts' });

    await waker({ env })(logsEvent([MC_SRV]));

    const regions = new Set(world.calls.filter((c) => c.command !== 'Publish').map((c) => c.region));
    expect(regions).toEqual(new Set(['ap-southeast-2']));
    expect(world.published.map((p) => p.region)).toEqual(['eu-west-1']);
  });

  it('two wakers at once for one stopped game: one SetDesiredCapacity, one notice', async () => {
    world.stopped(MINECRAFT.asgName);
    // Two edge locations log the same player's lookups; CloudWatch Logs delivers them in two batches, to two invocations.
    const first = waker();
    const second = waker();

    const results = await Promise.all([
      first(logsEvent([queryLine('_minecraft._tcp.mc.example.com', 'SRV', { edge: 'FRA6' })])),
      second(logsEvent([queryLine('_minecraft._tcp.mc.example.com', 'SRV', { edge: 'AMS1', time: '2024-05-01T10:00:00.200Z' })])),
    ]);

    expect(results.map((r) => r.games.minecraft).sort()).toEqual(['already-up', 'started']);
    expect(world.scaled()).toEqual([`${MINECRAFT.asgName} 1`]);
    expect(world.published).toHaveLength(1);
    // The wake call 3 s after the lookup, measured once: only the start that claimed the session.
    expect(output.metrics()).toEqual([{ name: 'Wakes', value: 1, game: 'minecraft' }, { name: 'LookupToWakeSeconds', value: 3, game: 'minecraft' }]);
  });

  it('five wakers at once for two stopped games: one start and one notice per game', async () => {
    world.stopped(MINECRAFT.asgName).stopped(VALHEIM.asgName);

    await Promise.all(Array.from({ length: 5 }, () => waker()(logsEvent([MC_SRV, VH_A]))));

    expect(world.scaled().sort()).toEqual([`${MINECRAFT.asgName} 1`, `${VALHEIM.asgName} 1`]);
    expect(world.published.map((p) => p.Subject).sort()).toEqual(['starting mc.example.com', 'starting valheim.example.com']);
  });

  it('does not wake a game on a query type outside its wakeOn (A for an SRV-only game)', async () => {
    world.stopped(MINECRAFT.asgName);

    await expect(waker()(logsEvent([queryLine('mc.example.com', 'A'), queryLine('mc.example.com', 'AAAA')]))).resolves.toMatchObject({ games: {} });

    expect(world.calls).toEqual([]);
    expect(output.metrics()).toEqual([]);
  });

  it('matches names case-insensitively and with a trailing dot', async () => {
    world.stopped(MINECRAFT.asgName).stopped(VALHEIM.asgName);

    await waker()(logsEvent([queryLine('_MINECRAFT._tcp.Mc.Example.COM.', 'SRV'), queryLine('VALHEIM.EXAMPLE.COM.', 'aaaa')]));

    expect(world.scaled().sort()).toEqual([`${MINECRAFT.asgName} 1`, `${VALHEIM.asgName} 1`]);
  });

  it('starts each of two games of one batch, each counted under its own game', async () => {
    world.stopped(MINECRAFT.asgName).stopped(VALHEIM.asgName);

    await expect(waker()(logsEvent([VH_A, MC_SRV, VH_A]))).resolves.toMatchObject({ games: { minecraft: 'started', valheim: 'started' } });

    expect(world.published.map((p) => p.Subject).sort()).toEqual(['starting mc.example.com', 'starting valheim.example.com']);
    expect(output.metrics().filter((m) => m.name === 'Wakes').sort((a, b) => String(a.game).localeCompare(String(b.game)))).toEqual([
      { name: 'Wakes', value: 1, game: 'minecraft' },
      { name: 'Wakes', value: 1, game: 'valheim' },
    ]);
    expect(output.metrics().filter((m) => m.name === 'LookupToWakeSeconds').map((m) => m.game).sort()).toEqual(['minecraft', 'valheim']);
  });

  it('makes one start request per game for 10,000 matching lines, and names the count in the notice', async () => {
    world.stopped(MINECRAFT.asgName).stopped(VALHEIM.asgName);
    const lines = Array.from({ length: 10_000 }, (_, i) => (i % 2 === 0 ? MC_SRV : VH_A));

    await waker()(logsEvent(lines));

    expect(world.callsOf('DescribeAutoScalingGroups')).toHaveLength(2);
    expect(world.scaled()).toHaveLength(2);
    expect(world.published.every((p) => p.Message.includes('5000 matching queries'))).toBe(true);
  });

  it('starts at most 4 games at once', async () => {
    const routes = Array.from({ length: 7 }, (_, i) => route(`g${i}`));
    for (const r of routes) world.stopped(r.asgName);

    await waker({ env: wakerEnv(routes) })(logsEvent(routes.map((r) => queryLine(r.fqdn, 'A'))));

    expect(world.scaled()).toHaveLength(7);
    expect(world.maxInFlight).toBe(4);
  });
});

describe('waker: a lookup of a game that is not stopped', () => {
  it('leaves a running game alone: no scaling, no notice, no metric', async () => {
    world.running(MINECRAFT.asgName, MINECRAFT.sessionParameterName);
    const session = world.parameters.get(MINECRAFT.sessionParameterName);

    await expect(waker()(logsEvent([MC_SRV]))).resolves.toMatchObject({ games: { minecraft: 'already-up' } });

    expect(world.scaled()).toEqual([]);
    expect(world.published).toEqual([]);
    expect(world.parameters.get(MINECRAFT.sessionParameterName)).toBe(session);
    expect(output.metrics()).toEqual([]);
  });

  it.each(['Terminating', 'Terminating:Wait', 'Terminating:Proceed', 'InService'])(
    'records the wake while the previous host is %s at desired 0, resolves, and the end of the stop starts the game',
    async (state) => {
      world.stopping(MINECRAFT.asgName, MINECRAFT.sessionParameterName, state);

      await expect(waker()(logsEvent([MC_SRV]))).resolves.toMatchObject({ games: { minecraft: 'deferred' } });

      expect(world.scaled()).toEqual([]);
      expect(world.published).toEqual([]);
      expect(JSON.parse(world.parameters.get(MINECRAFT.pendingWakeParameterName) ?? 'null')).toEqual({
        recordedAt: NOW.toISOString(),
        source: 'lookup',
        lookupAt: '2024-05-01T10:00:00.000Z',
        query: '_minecraft._tcp.mc.example.com SRV',
      });
      expect(output.metrics()).toEqual([{ name: 'WakeDeferred', value: 1, game: 'minecraft' }]);
      expect(output.logs()).toContainEqual(
        expect.objectContaining({ level: 'INFO', message: expect.stringContaining('the end of the stop starts the game'), stopping: [`i-0stopping ${state}`] }),
      );

      // The old host has saved and left; the instance hook ends the session, which takes the recorded wake.
      world.groups.get(MINECRAFT.asgName)!.instances = [];
      await expect(endSession(MINECRAFT, new Date(NOW.getTime() + 90_000), GAME_REGION)).resolves.toMatchObject({ result: 'started' });
      expect(world.scaled()).toEqual([`${MINECRAFT.asgName} 1`]);
      expect(world.parameters.has(MINECRAFT.pendingWakeParameterName)).toBe(false);
      expect(JSON.parse(world.parameters.get(MINECRAFT.sessionParameterName) ?? 'null')).toMatchObject({
        source: 'pending-wake',
        lookupAt: '2024-05-01T10:00:00.000Z',
      });
    },
  );

  it('logs and counts a missing group without failing the other games, and leaves no claim behind', async () => {
    world.stopped(VALHEIM.asgName);

    await expect(waker()(logsEvent([MC_SRV, VH_A]))).resolves.toMatchObject({ games: { minecraft: 'missing', valheim: 'started' } });

    expect(world.scaled()).toEqual([`${VALHEIM.asgName} 1`]);
    expect(world.parameters.has(MINECRAFT.sessionParameterName)).toBe(false);
    expect(output.logs()).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: expect.stringMatching(new RegExp(`${MINECRAFT.asgName} of game minecraft does not exist in eu-central-1; check the waker's routes\\.json`)),
      }),
    );
    expect(output.metrics()).toEqual(
      expect.arrayContaining([
        { name: 'WakeGroupMissing', value: 1, game: 'minecraft' },
        { name: 'Wakes', value: 1, game: 'valheim' },
      ]),
    );
  });
});

describe('waker: batches', () => {
  it('skips and counts malformed lines, warns once, and still wakes on the good line', async () => {
    world.stopped(MINECRAFT.asgName);

    const result = await waker()(logsEvent(['garbage', '', '1.0 not-a-time Z1 mc.example.com SRV NOERROR UDP FRA6 192.0.2.1 -', MC_SRV]));

    expect(result).toMatchObject({ lines: 4, malformed: 3, games: { minecraft: 'started' } });
    const warnings = output.logs().filter((l) => l.level === 'WARN');
    expect(warnings).toEqual([expect.objectContaining({ message: expect.stringContaining('not in the Route53 format'), malformed: 3, example: 'garbage' })]);
    expect(output.metrics()).toEqual(
      expect.arrayContaining([
        { name: 'MalformedLines', value: 3 },
        { name: 'Wakes', value: 1, game: 'minecraft' },
      ]),
    );
  });

  it('does nothing for an empty batch', async () => {
    await expect(waker()(logsEvent([]))).resolves.toEqual({ messageType: 'DATA_MESSAGE', lines: 0, malformed: 0, games: {} });
    expect(world.calls).toEqual([]);
    expect(output.metrics()).toEqual([]);
  });

  it('ignores a control message even if it carried a matching line', async () => {
    world.stopped(MINECRAFT.asgName);
    await expect(waker()(logsEvent([MC_SRV], 'CONTROL_MESSAGE'))).resolves.toMatchObject({ messageType: 'CONTROL_MESSAGE', games: {} });
    expect(world.calls).toEqual([]);
    expect(output.metrics()).toEqual([]);
  });

  it('reads the sample event of the Lambda documentation: two lines that are not query logs, skipped and counted', async () => {
    // https://docs.aws.amazon.com/lambda/latest/dg/services-cloudwatchlogs.html (the sample event, as published)
    const sample = {
      awslogs: {
        data:
          'H4sIAAAAAAAAAHWPwQqCQBCGX0Xm7EFtK+smZBEUgXoLCdMhFtKV3akI8d0bLYmibvPPN3wz00CJxmQnTO41whwWQRIctmEcB6sQbFC3CjW3XW8kxpOpP+OC22d1Wml1qZkQGtoMsScxaczKN3plG8zlaHIta5KqWsozoTYw3/djzwhpLwivWFGHGpAFe7DL68JlBUk+l7KSN7tCOEJ4M3/qOI49vMHj+zCKdlFqLaU2ZHV2a4Ct/an0/ivdX8oYc1UVX860fQDQiMdxRQEAAA==',
      },
    };

    await expect(waker()(sample)).resolves.toEqual({ messageType: 'DATA_MESSAGE', lines: 2, malformed: 2, games: {} });

    expect(world.calls).toEqual([]);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', example: '[ERROR] First test message' }));
    expect(output.metrics()).toEqual([{ name: 'MalformedLines', value: 2 }]);
  });
});

describe('waker: environment and routing table', () => {
  it('names every missing environment variable', async () => {
    await expect(waker({ env: { GM_ROUTES_FILE: writeRoutesFile([MINECRAFT]) } })(logsEvent([MC_SRV]))).rejects.toThrow(
      /GM_GAME_REGION is not set; GM_TOPIC_ARN is not set/,
    );
    expect(world.calls).toEqual([]);
  });

  it('reads routes.json beside the code when GM_ROUTES_FILE is not set', async () => {
    world.stopped(VALHEIM.asgName);
    const dir = mkdtempSync(join(tmpdir(), 'gm-waker-bundle-'));
    writeFileSync(join(dir, 'routes.json'), JSON.stringify([VALHEIM]));

    await expect(
      waker({ env: { GM_GAME_REGION: GAME_REGION, GM_TOPIC_ARN: TOPIC_ARN }, routesDir: dir })(logsEvent([VH_A])),
    ).resolves.toMatchObject({ games: { valheim: 'started' } });
  });

  it('says which file is missing', async () => {
    const env = { GM_GAME_REGION: GAME_REGION, GM_TOPIC_ARN: TOPIC_ARN };
    await expect(waker({ env, routesDir: '/nonexistent/bundle' })(logsEvent([MC_SRV]))).rejects.toThrow(
      "the waker's routing table /nonexistent/bundle/routes.json does not exist",
    );
  });

  it('reads the routing table once per cold start', async () => {
    world.stopped(MINECRAFT.asgName).stopped(VALHEIM.asgName);
    const env = wakerEnv([MINECRAFT]);
    const handler = waker({ env });
    await handler(logsEvent([MC_SRV]));

    // A changed file is not read again by a warm container (a deploy makes a new one).
    writeFileSync(String(env.GM_ROUTES_FILE), JSON.stringify([VALHEIM]));
    await expect(handler(logsEvent([VH_A]))).resolves.toMatchObject({ games: {} });
    expect(world.scaled()).toEqual([`${MINECRAFT.asgName} 1`]);
  });
});
