/**
 * The waker under faults. Each test states the END STATE it guarantees (no
 * lost start, no double start, nothing half-done) and that the failure is
 * visible: a log line and a metric.
 *
 * AWS failures are what the SDK throws after its own retries (5 attempts):
 * throttling, a 5xx, an attempt that hung past the client's request timeout
 * (`TimeoutError`). The waker then throws after handling every game, so
 * Lambda delivers the batch again; the tests replay that retry.
 */
import '../../support/powertools-env';
import { STALE_SESSION_MS } from '../../../src/runtime/session';
import { FakeWorld, type FaultableCommand } from './fake-world';
import {
  MC_SRV,
  MINECRAFT,
  NOW,
  VALHEIM,
  VH_A,
  waker,
  wakerEnv,
} from './fixtures';
import { throttling, TRANSIENT_FAULTS } from '../../support/aws-errors';
import { logsEvent, queryLine } from '../../support/events';
import { capturePowertools } from '../../support/powertools-output';

let world: FakeWorld;
const output = capturePowertools();

beforeEach(() => {
  world = new FakeWorld();
});

/** The claim is the PutParameter of the session (Overwrite false); the pending wake is an overwrite. */
const claim = (input: Record<string, unknown>) => input.Overwrite === false;
const pendingWrite = (input: Record<string, unknown>) => input.Overwrite === true;

function expectFailureVisible(errorName: string): void {
  expect(output.logs()).toContainEqual(
    expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('could not wake game'), game: 'minecraft', error: expect.stringContaining(errorName) }),
  );
  expect(output.metrics()).toContainEqual({ name: 'WakeFailures', value: 1, game: 'minecraft' });
}

describe.each(TRANSIENT_FAULTS)('starting a stopped game, under %s', (_label, fault) => {
  const steps: [string, FaultableCommand, ((input: Record<string, unknown>) => boolean) | undefined][] = [
    ['the session claim (PutParameter)', 'PutParameter', claim],
    ['the group description (DescribeAutoScalingGroups)', 'DescribeAutoScalingGroups', undefined],
    ['the scaling call (SetDesiredCapacity)', 'SetDesiredCapacity', undefined],
  ];

  it.each(steps)('on %s: throws after handling every game, releases the claim, and the retry starts the game once', async (_step, command, when) => {
    world.stopped(MINECRAFT.asgName).stopped(VALHEIM.asgName);
    world.fail(command, fault, 1, (input) => (when ? when(input) : true) && JSON.stringify(input).includes('minecraft'));
    const handler = waker();
    const event = logsEvent([MC_SRV, VH_A]);

    const attempt = handler(event);
    await expect(attempt).rejects.toMatchObject({ name: 'WakeFailedError', games: ['minecraft'] });
    await expect(attempt).rejects.toThrow(new RegExp(`^could not wake minecraft \\(${fault().name}: `));

    // End state after the failed attempt: minecraft not started and no claim left behind; valheim started and announced.
    expect(world.groups.get(MINECRAFT.asgName)?.desired).toBe(0);
    expect(world.parameters.has(MINECRAFT.sessionParameterName)).toBe(false);
    expect(world.scaled()).toEqual([`${VALHEIM.asgName} 1`]);
    expect(world.published.map((p) => p.Subject)).toEqual(['starting valheim.example.com']);
    expectFailureVisible(fault().name);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR', game: 'minecraft', transient: true }));

    // Lambda's retry of the same batch: minecraft starts, valheim (already up) is left alone.
    output.clear();
    await expect(handler(event)).resolves.toMatchObject({ games: { minecraft: 'started', valheim: 'already-up' } });
    expect(world.scaled()).toEqual([`${VALHEIM.asgName} 1`, `${MINECRAFT.asgName} 1`]);
    expect(world.published.map((p) => p.Subject)).toEqual(['starting valheim.example.com', 'starting mc.example.com']);
    expect(world.parameters.has(MINECRAFT.sessionParameterName)).toBe(true);
  });

  it('on the notice (Publish): the game still starts, the batch is not retried, the failure is logged and counted', async () => {
    world.stopped(MINECRAFT.asgName);
    world.fail('Publish', fault);
    const handler = waker();

    await expect(handler(logsEvent([MC_SRV]))).resolves.toMatchObject({ games: { minecraft: 'started' } });

    expect(world.groups.get(MINECRAFT.asgName)?.desired).toBe(1);
    expect(world.parameters.has(MINECRAFT.sessionParameterName)).toBe(true);
    expect(world.published).toEqual([]);
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('"starting" notice could not be published'), error: expect.stringContaining(fault().name) }),
    );
    expect(output.metrics()).toEqual([
      { name: 'Wakes', value: 1, game: 'minecraft' },
      { name: 'NotifyFailures', value: 1, game: 'minecraft' },
      { name: 'LookupToWakeSeconds', value: 3, game: 'minecraft' },
    ]);

    // A later delivery of the same lookup neither starts the game again nor announces it.
    await expect(handler(logsEvent([MC_SRV]))).resolves.toMatchObject({ games: { minecraft: 'already-up' } });
    expect(world.scaled()).toEqual([`${MINECRAFT.asgName} 1`]);
  });

  it('on the running game (claim or description fails): throws, changes nothing, and the retry finds it up', async () => {
    world.running(MINECRAFT.asgName, MINECRAFT.sessionParameterName);
    const session = world.parameters.get(MINECRAFT.sessionParameterName);
    // The claim fails and so does reading it back (which tells a claim SSM applied before the answer was lost);
    // the next delivery finds the claim taken and the description fails.
    world.fail('PutParameter', fault).fail('GetParameter', fault).fail('DescribeAutoScalingGroups', fault);
    const handler = waker();

    await expect(handler(logsEvent([MC_SRV]))).rejects.toMatchObject({ name: 'WakeFailedError' });
    await expect(handler(logsEvent([MC_SRV]))).rejects.toMatchObject({ name: 'WakeFailedError' });
    expect(world.parameters.get(MINECRAFT.sessionParameterName)).toBe(session);
    expectFailureVisible(fault().name);

    await expect(handler(logsEvent([MC_SRV]))).resolves.toMatchObject({ games: { minecraft: 'already-up' } });
    expect(world.scaled()).toEqual([]);
    expect(world.published).toEqual([]);
    expect(world.parameters.get(MINECRAFT.sessionParameterName)).toBe(session);
  });

  it.each<[string, FaultableCommand, ((input: Record<string, unknown>) => boolean) | undefined]>([
    ['the pending-wake write (PutParameter)', 'PutParameter', pendingWrite],
    ['the session check after it (GetParameter)', 'GetParameter', undefined],
  ])('on a stopping game, on %s: throws, and the retry records the wake (no lost wake, no start)', async (_step, command, when) => {
    world.stopping(MINECRAFT.asgName, MINECRAFT.sessionParameterName);
    world.fail(command, fault, 1, when);
    const handler = waker();

    await expect(handler(logsEvent([MC_SRV]))).rejects.toMatchObject({ name: 'WakeFailedError' });
    expectFailureVisible(fault().name);

    await expect(handler(logsEvent([MC_SRV]))).resolves.toMatchObject({ games: { minecraft: 'deferred' } });
    expect(world.parameters.has(MINECRAFT.pendingWakeParameterName)).toBe(true);
    expect(world.scaled()).toEqual([]);
    expect(world.published).toEqual([]);
  });
});

describe('a start that fails and cannot even release its claim', () => {
  it('says so in the log and the metric, and the first wake after the claim is stale starts the game', async () => {
    world.stopped(MINECRAFT.asgName);
    world.fail('DescribeAutoScalingGroups', throttling).fail('DeleteParameter', throttling);

    await expect(waker()(logsEvent([MC_SRV]))).rejects.toThrow(/could not wake minecraft \(ClaimNotReleasedError: .*could not be released/);
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ level: 'ERROR', game: 'minecraft', error: expect.stringMatching(/ThrottlingException.*\/gm\/minecraft\/session.*could not be released/) }),
    );
    expect(output.metrics()).toEqual([{ name: 'WakeFailures', value: 1, game: 'minecraft' }]);
    // Half-done, and bounded: the claim is left, the group is at 0.
    expect(world.parameters.has(MINECRAFT.sessionParameterName)).toBe(true);
    expect(world.groups.get(MINECRAFT.asgName)?.desired).toBe(0);

    const later = new Date(NOW.getTime() + STALE_SESSION_MS + 1000);
    await expect(waker({ now: () => later })(logsEvent([MC_SRV]))).resolves.toMatchObject({ games: { minecraft: 'started' } });
    expect(world.scaled()).toEqual([`${MINECRAFT.asgName} 1`]);
    expect(world.published).toHaveLength(1);
  });
});

describe('the same event twice, events out of order', () => {
  it('the same batch delivered twice in a row: one start, one notice', async () => {
    world.stopped(MINECRAFT.asgName);
    const event = logsEvent([MC_SRV]);
    const handler = waker();

    await expect(handler(event)).resolves.toMatchObject({ games: { minecraft: 'started' } });
    await expect(handler(event)).resolves.toMatchObject({ games: { minecraft: 'already-up' } });

    expect(world.scaled()).toEqual([`${MINECRAFT.asgName} 1`]);
    expect(world.published).toHaveLength(1);
    // The wake call 3 s after the lookup, measured once: only the start that claimed the session.
    expect(output.metrics()).toEqual([{ name: 'Wakes', value: 1, game: 'minecraft' }, { name: 'LookupToWakeSeconds', value: 3, game: 'minecraft' }]);
  });

  it('the same batch delivered twice at once: one start, one notice', async () => {
    world.stopped(MINECRAFT.asgName);
    const event = logsEvent([MC_SRV]);

    const results = await Promise.all([waker()(event), waker()(event)]);

    expect(results.map((r) => r.games.minecraft).sort()).toEqual(['already-up', 'started']);
    expect(world.scaled()).toEqual([`${MINECRAFT.asgName} 1`]);
    expect(world.published).toHaveLength(1);
  });

  it('lines out of order in a batch: the session keeps the earliest lookup', async () => {
    world.stopped(MINECRAFT.asgName);
    const line = (time: string, edge: string) => queryLine('_minecraft._tcp.mc.example.com', 'SRV', { time, edge });

    await waker()(logsEvent([line('2024-05-01T10:00:02.000Z', 'LATE1'), line('2024-05-01T09:59:58.000Z', 'EARLY1'), line('2024-05-01T10:00:00.000Z', 'MID1')]));

    expect(JSON.parse(world.parameters.get(MINECRAFT.sessionParameterName) ?? 'null')).toMatchObject({ lookupAt: '2024-05-01T09:59:58.000Z' });
    expect(world.published[0]?.Message).toContain('through edge location EARLY1');
    expect(world.published[0]?.Message).toContain('3 matching queries');
  });

  it('an older lookup delivered after the game started changes nothing', async () => {
    world.stopped(MINECRAFT.asgName);
    await waker()(logsEvent([queryLine('_minecraft._tcp.mc.example.com', 'SRV', { time: '2024-05-01T10:00:00.000Z' })]));
    const session = world.parameters.get(MINECRAFT.sessionParameterName);

    await expect(waker()(logsEvent([queryLine('_minecraft._tcp.mc.example.com', 'SRV', { time: '2024-05-01T09:58:00.000Z' })]))).resolves.toMatchObject({
      games: { minecraft: 'already-up' },
    });

    expect(world.parameters.get(MINECRAFT.sessionParameterName)).toBe(session);
    expect(world.scaled()).toEqual([`${MINECRAFT.asgName} 1`]);
    expect(world.published).toHaveLength(1);
  });

  it('a lookup delivered late, during the stop that followed: recorded, not started over the saving host', async () => {
    world.stopping(MINECRAFT.asgName, MINECRAFT.sessionParameterName, 'Terminating:Wait');

    await expect(waker()(logsEvent([MC_SRV]))).resolves.toMatchObject({ games: { minecraft: 'deferred' } });

    expect(world.scaled()).toEqual([]);
    expect(world.parameters.has(MINECRAFT.pendingWakeParameterName)).toBe(true);
  });
});

describe('missing or corrupt state', () => {
  it('a garbled session parameter with nothing running is cleared and the game starts', async () => {
    world.stopped(MINECRAFT.asgName);
    world.parameters.set(MINECRAFT.sessionParameterName, '{not json');

    await expect(waker()(logsEvent([MC_SRV]))).resolves.toMatchObject({ games: { minecraft: 'started' } });

    expect(world.scaled()).toEqual([`${MINECRAFT.asgName} 1`]);
    expect(JSON.parse(world.parameters.get(MINECRAFT.sessionParameterName) ?? 'null')).toMatchObject({ source: 'lookup', startedAt: NOW.toISOString() });
    expect(world.published).toHaveLength(1);
  });

  it('a stale session (its stop never ended) with nothing running is cleared and the game starts', async () => {
    world.stopped(MINECRAFT.asgName);
    world.parameters.set(MINECRAFT.sessionParameterName, JSON.stringify({ startedAt: '2024-05-01T06:00:00.000Z', source: 'lookup' }));

    await expect(waker()(logsEvent([MC_SRV]))).resolves.toMatchObject({ games: { minecraft: 'started' } });
    expect(world.scaled()).toEqual([`${MINECRAFT.asgName} 1`]);
  });

  it('a session claimed a moment ago by another start is left to it: no second start', async () => {
    world.stopped(MINECRAFT.asgName);
    world.parameters.set(MINECRAFT.sessionParameterName, JSON.stringify({ startedAt: new Date(NOW.getTime() - 2000).toISOString(), source: 'operator' }));

    await expect(waker()(logsEvent([MC_SRV]))).resolves.toMatchObject({ games: { minecraft: 'already-up' } });
    expect(world.scaled()).toEqual([]);
    expect(world.published).toEqual([]);
  });

  it('a garbled pending wake during a stop is replaced by this wake', async () => {
    world.stopping(MINECRAFT.asgName, MINECRAFT.sessionParameterName);
    world.parameters.set(MINECRAFT.pendingWakeParameterName, 'garbage');

    await expect(waker()(logsEvent([MC_SRV]))).resolves.toMatchObject({ games: { minecraft: 'deferred' } });
    expect(JSON.parse(world.parameters.get(MINECRAFT.pendingWakeParameterName) ?? 'null')).toMatchObject({ source: 'lookup', query: '_minecraft._tcp.mc.example.com SRV' });
  });

  it('a group that no longer exists: logged with the fix, counted, no claim left', async () => {
    await expect(waker()(logsEvent([MC_SRV]))).resolves.toMatchObject({ games: { minecraft: 'missing' } });
    expect(world.parameters.size).toBe(0);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('does not exist in eu-central-1') }));
    expect(output.metrics()).toEqual([{ name: 'WakeGroupMissing', value: 1, game: 'minecraft' }]);
  });

  it.each<[string, string]>([
    ['not JSON', '{"id":'],
    ['an empty list', '[]'],
    ['a route without its session parameter', JSON.stringify([{ ...MINECRAFT, sessionParameterName: undefined }])],
    ['a game listed twice', JSON.stringify([MINECRAFT, MINECRAFT])],
  ])('a routing table that is %s: a clear error naming the file, before any AWS call', async (_label, text) => {
    const env = wakerEnv();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(String(env.GM_ROUTES_FILE), text);

    await expect(waker({ env })(logsEvent([MC_SRV]))).rejects.toThrow(`the waker's routing table ${String(env.GM_ROUTES_FILE)} `);
    expect(world.calls).toEqual([]);
  });
});

describe('malformed events and payloads: skipped, counted, never fatal', () => {
  const gzipBase64 = async (text: string) => (await import('node:zlib')).gzipSync(Buffer.from(text)).toString('base64');

  it.each<[string, () => Promise<unknown>]>([
    ['no event at all', async () => null],
    ['an event without awslogs', async () => ({ source: 'aws.events' })],
    ['awslogs.data that is not a string', async () => ({ awslogs: { data: 42 } })],
    ['awslogs.data that is not gzip', async () => ({ awslogs: { data: Buffer.from('plain text').toString('base64') } })],
    ['gzip that is not JSON', async () => ({ awslogs: { data: await gzipBase64('not json') } })],
    ['JSON that is not a subscription payload', async () => ({ awslogs: { data: await gzipBase64(JSON.stringify({ hello: 'world' })) } })],
  ])('%s', async (_label, makeEvent) => {
    world.stopped(MINECRAFT.asgName);

    await expect(waker()(await makeEvent())).resolves.toMatchObject({ messageType: 'unreadable', games: {}, problem: expect.any(String) });

    expect(world.calls).toEqual([]);
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('not a CloudWatch Logs subscription payload'), problem: expect.any(String) }),
    );
    expect(output.metrics()).toEqual([{ name: 'MalformedEvents', value: 1 }]);
  });

  it('log events that are not objects or have no message string are skipped and counted with the rest', async () => {
    world.stopped(MINECRAFT.asgName);
    const { encodeLogsPayload } = await import('../../../src/lambdas/waker/decide');
    const data = encodeLogsPayload({
      messageType: 'DATA_MESSAGE',
      logEvents: [null, { id: '1', timestamp: 1 }, { id: '2', timestamp: 2, message: 42 }, { id: '3', timestamp: 3, message: MC_SRV }] as never,
    });

    await expect(waker()({ awslogs: { data } })).resolves.toMatchObject({ lines: 4, malformed: 3, games: { minecraft: 'started' } });
    expect(output.metrics()).toEqual(expect.arrayContaining([{ name: 'MalformedLines', value: 3 }]));
  });
});
