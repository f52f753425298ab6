/**
 * The sample files under examples/events, as an operator uses them:
 *   GM_ROUTES_FILE=examples/events/waker-routes.json … gm lambda waker --event examples/events/waker-srv-lookup.json
 * run here in process (AWS answered by the in-memory fake), so the samples
 * cannot drift from what the waker reads.
 */
import '../../support/powertools-env';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { runLambda } from '../../../src/cli/commands/lambda';
import { parseBatch, readSubscriptionEvent } from '../../../src/lambdas/waker/decide';
import { WakeRoutesSchema } from '../../../src/runtime/routes';
import { FakeWorld } from './fake-world';
import { captureIo } from '../../support/cli-io';
import { capturePowertools } from '../../support/powertools-output';

const EVENTS = join(__dirname, '../../../examples/events');
const EVENT_FILE = join(EVENTS, 'waker-srv-lookup.json');
const ROUTES_FILE = join(EVENTS, 'waker-routes.json');

capturePowertools(); // keeps the waker's log lines out of the report

describe('examples/events for the waker', () => {
  it('the sample event is a subscription payload of two query-log lines, and the routes file is valid', () => {
    const reading = readSubscriptionEvent(JSON.parse(readFileSync(EVENT_FILE, 'utf8')));
    expect(reading.ok).toBe(true);
    const batch = parseBatch(reading.ok ? reading.payload.logEvents : []);
    expect(batch).toMatchObject({ malformed: 0, lines: [{ queryType: 'A' }, { queryType: 'SRV', queryName: '_minecraft._tcp.mc.example.com' }] });
    expect(() => v.parse(WakeRoutesSchema, JSON.parse(readFileSync(ROUTES_FILE, 'utf8')))).not.toThrow();
  });

  it('`gm lambda waker` with them starts the stopped game on the SRV lookup (the A lookup does not wake it)', async () => {
    const world = new FakeWorld().stopped('gm-mc');
    const saved = { ...process.env };
    Object.assign(process.env, {
      GM_GAME_REGION: 'eu-west-1',
      GM_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:gm-alerts',
      GM_ROUTES_FILE: ROUTES_FILE,
    });
    const { io, out, err } = captureIo();
    try {
      const code = await runLambda(['waker', '--event', EVENT_FILE], io);
      expect(err).toEqual([]);
      expect(code).toBe(0);
    } finally {
      process.env = saved;
    }

    const [json] = out.join('\n').split('\nsteps:\n');
    expect(JSON.parse(json ?? '')).toEqual({ messageType: 'DATA_MESSAGE', lines: 2, malformed: 0, games: { mc: 'started' } });
    expect(world.scaled()).toEqual(['gm-mc 1']);
    expect(world.published.map((p) => p.Subject)).toEqual(['starting mc.example.com']);
    expect(out.join('\n')).toMatch(/^ {2}request start +\d/m);
  });
});
