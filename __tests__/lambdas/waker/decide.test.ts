import { gzipSync } from 'node:zlib';
import {
  encodeLogsPayload,
  failedOutcomes,
  lookupOf,
  matchRoutes,
  outcomeCounts,
  parseBatch,
  parseQueryLogLine,
  readSubscriptionEvent,
  type GameMatch,
  type GameOutcome,
} from '../../../src/lambdas/waker/decide';
import { batchFailure, startingNotice } from '../../../src/lambdas/waker/messages';
import { queryLine } from '../../support/events';
import { MINECRAFT, VALHEIM } from './fixtures';

const events = (...messages: unknown[]) => messages.map((message, i) => ({ id: String(i), timestamp: i, message }));
const parse = (...lines: string[]) => parseBatch(events(...lines)).lines;

describe('readSubscriptionEvent', () => {
  it('round-trips a subscription payload', () => {
    const data = encodeLogsPayload({ messageType: 'DATA_MESSAGE', logEvents: [{ id: '1', timestamp: 1, message: 'hello' }] });
    const reading = readSubscriptionEvent({ awslogs: { data } });
    expect(reading).toMatchObject({ ok: true, payload: { messageType: 'DATA_MESSAGE', logEvents: [{ id: '1', timestamp: 1, message: 'hello' }] } });
  });

  it('reads the fields AWS documents for the decoded payload', () => {
    const reading = readSubscriptionEvent({ awslogs: { data: encodeLogsPayload({ messageType: 'DATA_MESSAGE', logEvents: [] }) } });
    expect(reading.ok && Object.keys(reading.payload).sort()).toEqual(['logEvents', 'logGroup', 'logStream', 'messageType', 'owner', 'subscriptionFilters']);
  });

  it.each<[string, unknown, RegExp]>([
    ['no event', undefined, /no awslogs\.data string/],
    ['an array', [], /no awslogs\.data string/],
    ['an empty data string', { awslogs: { data: '' } }, /no awslogs\.data string/],
    ['data that is not gzip', { awslogs: { data: Buffer.from('not gzip').toString('base64') } }, /not base64-encoded gzip JSON/],
    ['JSON of another shape', { awslogs: { data: gzipSync(Buffer.from('{"hello":"world"}')).toString('base64') } }, /without messageType and logEvents/],
    ['logEvents that is not a list', { awslogs: { data: gzipSync(Buffer.from('{"messageType":"DATA_MESSAGE","logEvents":{}}')).toString('base64') } }, /without messageType and logEvents/],
  ])('names the problem, without throwing, for %s', (_label, event, problem) => {
    const reading = readSubscriptionEvent(event);
    expect(reading.ok).toBe(false);
    expect(!reading.ok && reading.problem).toMatch(problem);
  });
});

describe('parseQueryLogLine', () => {
  it('parses the example line of the Route53 documentation', () => {
    expect(parseQueryLogLine('1.0 2017-12-13T08:15:50.235Z Z123412341234 example.com A NOERROR UDP FRA6 192.168.1.1 -')).toEqual({
      timestamp: '2017-12-13T08:15:50.235Z',
      hostedZoneId: 'Z123412341234',
      queryName: 'example.com',
      queryType: 'A',
      responseCode: 'NOERROR',
      protocol: 'UDP',
      edgeLocation: 'FRA6',
      resolverIp: '192.168.1.1',
    });
  });

  it('lower-cases the name, drops the trailing dot and upper-cases the type', () => {
    const line = parseQueryLogLine('1.0 2017-12-13T08:15:50.235Z Z1 _Minecraft._TCP.MC.Example.COM. srv NOERROR UDP FRA6 192.168.1.1 -');
    expect(line).toMatchObject({ queryName: '_minecraft._tcp.mc.example.com', queryType: 'SRV' });
  });

  it('accepts a line with an EDNS client subnet, an IPv6 resolver and extra whitespace', () => {
    const line = parseQueryLogLine('  1.0  2017-12-13T08:15:50.235Z Z1 mc.example.com AAAA NOERROR TCP IAD89-C1 2001:db8::53 203.0.113.0/24 \n');
    expect(line).toMatchObject({ queryType: 'AAAA', resolverIp: '2001:db8::53', edgeLocation: 'IAD89-C1' });
  });

  it.each([
    ['empty', ''],
    ['free text', 'this is not a query log line at all'],
    ['too few fields', '1.0 2017-12-13T08:15:50.235Z Z1 mc.example.com A NOERROR'],
    ['bad version', 'v1 2017-12-13T08:15:50.235Z Z1 mc.example.com A NOERROR UDP FRA6 192.168.1.1 -'],
    ['bad timestamp', '1.0 yesterday Z1 mc.example.com A NOERROR UDP FRA6 192.168.1.1 -'],
    ['a date without time', '1.0 2017-12-13 Z1 mc.example.com A NOERROR UDP FRA6 192.168.1.1 -'],
    ['bad type', '1.0 2017-12-13T08:15:50.235Z Z1 mc.example.com A? NOERROR UDP FRA6 192.168.1.1 -'],
    ['name of dots only', '1.0 2017-12-13T08:15:50.235Z Z1 . A NOERROR UDP FRA6 192.168.1.1 -'],
  ])('returns undefined for %s', (_label, text) => {
    expect(parseQueryLogLine(text)).toBeUndefined();
  });
});

describe('parseBatch', () => {
  it('keeps good lines and counts the malformed ones with an example', () => {
    const batch = parseBatch(events('garbage', queryLine('mc.example.com', 'A'), '', 'x'.repeat(500)));
    expect(batch.lines).toHaveLength(1);
    expect(batch.malformed).toBe(3);
    expect(batch.malformedExample).toBe('garbage');
  });

  it('counts log events without a message string instead of crashing', () => {
    expect(parseBatch([null, 42, { id: '1' }, { message: 7 }])).toEqual({ lines: [], malformed: 4, malformedExample: 'null' });
  });

  it('cuts the example to 200 characters', () => {
    expect(parseBatch(events('y'.repeat(500))).malformedExample).toHaveLength(200);
  });

  it('reports no example when every line is good', () => {
    expect(parseBatch(events(queryLine('mc.example.com', 'A')))).not.toHaveProperty('malformedExample');
  });
});

describe('matchRoutes', () => {
  it('matches only the query types in wakeOn', () => {
    expect(matchRoutes(parse(queryLine('_minecraft._tcp.mc.example.com', 'SRV')), [MINECRAFT]).map((m) => m.route.id)).toEqual(['minecraft']);
    expect(matchRoutes(parse(queryLine('mc.example.com', 'A'), queryLine('mc.example.com', 'AAAA')), [MINECRAFT])).toEqual([]);
  });

  it('matches names case-insensitively and ignores a trailing dot, on both sides', () => {
    const route = { ...VALHEIM, names: ['Valheim.Example.com.'], wakeOn: ['a'] };
    expect(matchRoutes(parse(queryLine('VALHEIM.example.COM.', 'A')), [route])).toMatchObject([{ count: 1 }]);
  });

  it('ignores names of other hosts, including sub- and super-domains', () => {
    const lines = parse(queryLine('example.com', 'A'), queryLine('www.valheim.example.com', 'A'), queryLine('valheim.example.com.evil.net', 'A'));
    expect(matchRoutes(lines, [VALHEIM, MINECRAFT])).toEqual([]);
  });

  it('counts per game and keeps the earliest query even when lines arrive out of order', () => {
    const lines = parse(
      queryLine('valheim.example.com', 'A', { time: '2024-05-01T10:00:05.000Z', edge: 'LATE1' }),
      queryLine('valheim.example.com', 'AAAA', { time: '2024-05-01T10:00:01.000Z', edge: 'EARLY1' }),
      queryLine('valheim.example.com', 'A', { time: '2024-05-01T10:00:03.000Z', edge: 'MID1' }),
      queryLine('_minecraft._tcp.mc.example.com', 'SRV'),
    );
    const matches = matchRoutes(lines, [MINECRAFT, VALHEIM]);
    expect(matches.find((m) => m.route.id === 'valheim')).toMatchObject({ count: 3, first: { edgeLocation: 'EARLY1', queryType: 'AAAA' } });
    expect(matches.find((m) => m.route.id === 'minecraft')?.count).toBe(1);
  });

  it('returns nothing for no routes or no lines', () => {
    expect(matchRoutes([], [MINECRAFT])).toEqual([]);
    expect(matchRoutes(parse(queryLine('mc.example.com', 'SRV')), [])).toEqual([]);
  });
});

const matchOf = (route = MINECRAFT, line = queryLine('_minecraft._tcp.mc.example.com', 'SRV'), count = 1): GameMatch => ({
  route,
  first: parse(line)[0]!,
  count,
});

describe('lookupOf', () => {
  it('gives the lookup time as ISO and the query as "<name> <type>"', () => {
    expect(lookupOf(matchOf(MINECRAFT, queryLine('_Minecraft._tcp.MC.example.com.', 'srv', { time: '2024-05-01T10:00:00.5Z' })))).toEqual({
      lookupAt: '2024-05-01T10:00:00.500Z',
      query: '_minecraft._tcp.mc.example.com SRV',
    });
  });
});

describe('outcomeCounts and failedOutcomes', () => {
  const match = matchOf();
  const session = { startedAt: '2024-05-01T10:00:00.000Z', source: 'lookup' as const };
  const outcomes: GameOutcome[] = [
    { game: 'a', result: 'started', match, session },
    { game: 'b', result: 'started', match, session, noticeError: new Error('x') },
    { game: 'c', result: 'already-up', match },
    { game: 'd', result: 'deferred', match, stopping: [] },
    { game: 'e', result: 'missing', match },
    { game: 'f', result: 'failed', match, error: Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }) },
  ];

  it('counts what happened, per game, and nothing for a game already up', () => {
    expect(outcomeCounts(outcomes, 2)).toEqual([
      { name: 'MalformedLines', value: 2 },
      { name: 'Wakes', value: 1, game: 'a' },
      { name: 'Wakes', value: 1, game: 'b' },
      { name: 'NotifyFailures', value: 1, game: 'b' },
      { name: 'WakeDeferred', value: 1, game: 'd' },
      { name: 'WakeGroupMissing', value: 1, game: 'e' },
      { name: 'WakeFailures', value: 1, game: 'f' },
    ]);
    expect(outcomeCounts([{ game: 'c', result: 'already-up', match }], 0)).toEqual([]);
  });

  it('fails the batch only for AWS failures; a deferred wake is not one', () => {
    expect(failedOutcomes(outcomes).map((o) => o.game)).toEqual(['f']);
    expect(failedOutcomes(outcomes.filter((o) => o.result !== 'failed'))).toEqual([]);
    expect(batchFailure(failedOutcomes(outcomes))).toBe(
      'could not wake f (ThrottlingException: Rate exceeded); the batch will be retried, and repeating the wake is harmless',
    );
  });
});

describe('startingNotice', () => {
  it('says which query woke the game', () => {
    const notice = startingNotice(matchOf(MINECRAFT, queryLine('_minecraft._tcp.mc.example.com', 'SRV', { edge: 'FRA6', resolver: '198.51.100.7' }), 12));
    expect(notice.subject).toBe('starting mc.example.com');
    expect(notice.message).toContain('SRV query for _minecraft._tcp.mc.example.com');
    expect(notice.message).toContain('FRA6');
    expect(notice.message).toContain('198.51.100.7');
    expect(notice.message).toContain('12 matching queries');
  });

  it('does not mention a count for a single query', () => {
    expect(startingNotice(matchOf()).message).not.toContain('matching queries');
  });
});
