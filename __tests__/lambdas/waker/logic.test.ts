import { gzipSync } from 'node:zlib';
import {
  decideWake,
  decodeLogsPayload,
  encodeLogsPayload,
  matchGames,
  parseBatch,
  parseQueryLogLine,
  parseWakeTargets,
  regionFromArn,
  startingNotice,
  type GroupSnapshot,
} from '../../../src/lambdas/waker/logic';
import { MINECRAFT, VALHEIM, queryLine } from './fixtures';

describe('decodeLogsPayload', () => {
  it('round-trips a subscription payload', () => {
    const data = encodeLogsPayload({ messageType: 'DATA_MESSAGE', logEvents: [{ id: '1', timestamp: 1, message: 'hello' }] });
    const decoded = decodeLogsPayload(data);
    expect(decoded.messageType).toBe('DATA_MESSAGE');
    expect(decoded.logEvents).toEqual([{ id: '1', timestamp: 1, message: 'hello' }]);
  });

  it('names the problem when the data is not gzip', () => {
    expect(() => decodeLogsPayload(Buffer.from('not gzip').toString('base64'))).toThrow(/not base64-encoded gzip JSON/);
  });

  it('rejects JSON that is not a CloudWatch Logs payload', () => {
    const data = gzipSync(Buffer.from(JSON.stringify({ hello: 'world' }))).toString('base64');
    expect(() => decodeLogsPayload(data)).toThrow(/without messageType and logEvents/);
  });
});

describe('parseQueryLogLine', () => {
  it('parses the documented example line', () => {
    expect(parseQueryLogLine('1.0 2017-12-13T08:15:50.235Z Z123412341234 mc.example.com A NOERROR UDP FRA6 192.168.1.1 -')).toEqual({
      timestamp: '2017-12-13T08:15:50.235Z',
      hostedZoneId: 'Z123412341234',
      queryName: 'mc.example.com',
      queryType: 'A',
      responseCode: 'NOERROR',
      protocol: 'UDP',
      edgeLocation: 'FRA6',
      resolverIp: '192.168.1.1',
    });
  });

  it('lower-cases the name, drops the trailing dot and upper-cases the type', () => {
    const line = parseQueryLogLine('1.0 2017-12-13T08:15:50.235Z Z1 _Minecraft._TCP.MC.Example.COM. srv NOERROR UDP FRA6 192.168.1.1 -');
    expect(line?.queryName).toBe('_minecraft._tcp.mc.example.com');
    expect(line?.queryType).toBe('SRV');
  });

  it('accepts a line with an EDNS client subnet and extra whitespace', () => {
    const line = parseQueryLogLine('  1.0  2017-12-13T08:15:50.235Z Z1 mc.example.com AAAA NOERROR TCP IAD89-C1 2001:db8::53 203.0.113.0/24 \n');
    expect(line?.queryType).toBe('AAAA');
    expect(line?.resolverIp).toBe('2001:db8::53');
  });

  it.each([
    ['empty', ''],
    ['free text', 'this is not a query log line at all'],
    ['too few fields', '1.0 2017-12-13T08:15:50.235Z Z1 mc.example.com A NOERROR'],
    ['bad version', 'v1 2017-12-13T08:15:50.235Z Z1 mc.example.com A NOERROR UDP FRA6 192.168.1.1 -'],
    ['bad timestamp', '1.0 yesterday Z1 mc.example.com A NOERROR UDP FRA6 192.168.1.1 -'],
    ['bad type', '1.0 2017-12-13T08:15:50.235Z Z1 mc.example.com A? NOERROR UDP FRA6 192.168.1.1 -'],
    ['name of dots only', '1.0 2017-12-13T08:15:50.235Z Z1 . A NOERROR UDP FRA6 192.168.1.1 -'],
  ])('returns undefined for %s', (_label, text) => {
    expect(parseQueryLogLine(text)).toBeUndefined();
  });
});

describe('parseBatch', () => {
  it('keeps good lines and counts the malformed ones with an example', () => {
    const batch = parseBatch(['garbage', queryLine('mc.example.com', 'A'), '', 'x'.repeat(500)]);
    expect(batch.lines).toHaveLength(1);
    expect(batch.malformed).toBe(3);
    expect(batch.malformedExample).toBe('garbage');
  });

  it('treats a message that is not a string as malformed instead of crashing', () => {
    const batch = parseBatch([42 as unknown as string]);
    expect(batch).toEqual({ lines: [], malformed: 1, malformedExample: '42' });
  });

  it('reports no example when every line is good', () => {
    expect(parseBatch([queryLine('mc.example.com', 'A')])).not.toHaveProperty('malformedExample');
  });
});

describe('matchGames', () => {
  const parse = (lines: string[]) => parseBatch(lines).lines;

  it('matches only the query types in wakeOn', () => {
    const srv = matchGames(parse([queryLine('_minecraft._tcp.mc.example.com', 'SRV')]), [MINECRAFT]);
    expect([...srv.keys()]).toEqual(['minecraft']);
    expect(matchGames(parse([queryLine('mc.example.com', 'A'), queryLine('mc.example.com', 'AAAA')]), [MINECRAFT]).size).toBe(0);
  });

  it('matches names case-insensitively and ignores a trailing dot, on both sides', () => {
    const target = { ...VALHEIM, names: ['Valheim.Example.com.'], wakeOn: ['a'] };
    const matches = matchGames(parse([queryLine('VALHEIM.example.COM.', 'A')]), [target]);
    expect(matches.get('valheim')?.count).toBe(1);
  });

  it('ignores names of other hosts, including sub- and super-domains', () => {
    const lines = parse([
      queryLine('example.com', 'A'),
      queryLine('www.valheim.example.com', 'A'),
      queryLine('valheim.example.com.evil.net', 'A'),
    ]);
    expect(matchGames(lines, [VALHEIM, MINECRAFT]).size).toBe(0);
  });

  it('counts per game and keeps the earliest query even when events arrive out of order', () => {
    const lines = parse([
      queryLine('valheim.example.com', 'A', { time: '2024-05-01T10:00:05.000Z', edge: 'LATE1' }),
      queryLine('valheim.example.com', 'AAAA', { time: '2024-05-01T10:00:01.000Z', edge: 'EARLY1' }),
      queryLine('valheim.example.com', 'A', { time: '2024-05-01T10:00:03.000Z', edge: 'MID1' }),
      queryLine('_minecraft._tcp.mc.example.com', 'SRV'),
    ]);
    const matches = matchGames(lines, [MINECRAFT, VALHEIM]);
    expect(matches.get('valheim')).toMatchObject({ count: 3, first: { edgeLocation: 'EARLY1', queryType: 'AAAA' } });
    expect(matches.get('minecraft')?.count).toBe(1);
  });

  it('returns nothing for no targets or no lines', () => {
    expect(matchGames([], [MINECRAFT]).size).toBe(0);
    expect(matchGames(parse([queryLine('mc.example.com', 'SRV')]), []).size).toBe(0);
  });
});

describe('decideWake', () => {
  const group = (desiredCapacity: number, ...states: string[]): GroupSnapshot => ({
    desiredCapacity,
    instances: states.map((lifecycleState, i) => ({ instanceId: `i-${i}`, lifecycleState })),
  });

  it('wakes an empty group at 0', () => {
    expect(decideWake(group(0))).toBe('wake');
  });

  it('reports a missing group', () => {
    expect(decideWake(undefined)).toBe('missing');
  });

  it.each([[group(1)], [group(1, 'Pending')], [group(1, 'InService')], [group(2, 'InService')]])(
    'leaves a group at desired >= 1 alone',
    (g) => {
      expect(decideWake(g)).toBe('already-up');
    },
  );

  it.each(['Terminating', 'Terminating:Wait', 'Terminating:Proceed', 'Terminating:Retained'])(
    'defers while an instance is %s',
    (state) => {
      expect(decideWake(group(0, state))).toBe('terminating');
    },
  );

  it.each(['InService', 'Standby', 'Detaching'])('defers at desired 0 while an instance is still %s (scale-in asked, not done)', (state) => {
    expect(decideWake(group(0, state))).toBe('terminating');
  });

  it.each(['Terminated', 'Warmed:Stopped', 'Warmed:Terminating:Wait'])('wakes when the only instance is %s', (state) => {
    expect(decideWake(group(0, state))).toBe('wake');
  });
});

describe('startingNotice', () => {
  it('says which query woke the game', () => {
    const [line] = parseBatch([queryLine('_minecraft._tcp.mc.example.com', 'SRV', { edge: 'FRA6', resolver: '198.51.100.7' })]).lines;
    const notice = startingNotice({ target: MINECRAFT, first: line!, count: 12 });
    expect(notice.subject).toBe('starting mc.example.com');
    expect(notice.message).toContain('SRV query for _minecraft._tcp.mc.example.com');
    expect(notice.message).toContain('FRA6');
    expect(notice.message).toContain('198.51.100.7');
    expect(notice.message).toContain('12 matching queries');
  });

  it('keeps the subject within the 100 characters SNS allows', () => {
    const [line] = parseBatch([queryLine('a.example.com', 'A')]).lines;
    const notice = startingNotice({ target: { ...VALHEIM, fqdn: `${'x'.repeat(120)}.example.com` }, first: line!, count: 1 });
    expect(notice.subject.length).toBeLessThanOrEqual(100);
  });
});

describe('regionFromArn', () => {
  it('takes the region of a topic ARN', () => {
    expect(regionFromArn('arn:aws:sns:eu-west-1:123456789012:gm-alerts')).toBe('eu-west-1');
  });
  it.each(['gm-alerts', 'arn:aws:sns::123456789012:gm-alerts'])('rejects %s with the expected form', (arn) => {
    expect(() => regionFromArn(arn)).toThrow(/arn:aws:sns:<region>:<account>:<topic>/);
  });
});

describe('parseWakeTargets', () => {
  it('accepts the documented shape', () => {
    expect(parseWakeTargets([MINECRAFT, VALHEIM])).toEqual([MINECRAFT, VALHEIM]);
  });
  it.each([
    [{}, /must be a JSON array/],
    [[null], /GM_GAMES\[0\] must be an object/],
    [[{ ...MINECRAFT, asgName: '' }], /GM_GAMES\[0\]\.asgName must be a non-empty string/],
    [[MINECRAFT, { ...VALHEIM, wakeOn: [] }], /GM_GAMES\[1\]\.wakeOn must be a non-empty array of strings/],
    [[{ ...VALHEIM, names: 'valheim.example.com' }], /GM_GAMES\[0\]\.names/],
  ])('names the field to fix (%#)', (value, message) => {
    expect(() => parseWakeTargets(value)).toThrow(message);
  });
});
