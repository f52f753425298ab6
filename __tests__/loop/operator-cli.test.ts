/**
 * The operator's commands against the simulated AWS while the real handlers
 * run the control loop (operator-loop.ts): `gm start` follows a whole start
 * and prints its timeline at the times the simulation made each step happen;
 * `gm status` then shows the running game; `gm stop` drains it through the
 * real instance hook and the last stop reads "manual"; a `gm start` during a
 * stop waits for the stop to end and then follows the start the end of the
 * stop makes. The steps run in order and share the world.
 */
import '../support/powertools-env-silent';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCommandWith } from '../../src/cli/commands/start';
import { statusCommandWith } from '../../src/cli/commands/status';
import { stopCommandWith } from '../../src/cli/commands/stop';
import { main } from '../../src/cli/main';
import { requestStop } from '../../src/lambdas/shared/stop';
import { captureIo } from '../support/cli-io';
import type { FakeAws } from './fake-aws';
import { deployedAws, loopFunctions, loopGame, PREFIX, REGION } from './harness';
import { OperatorLoop } from './operator-loop';
import { installSimClock, type SimClock } from './sim-clock';

const START = '2025-06-01T18:00:00.000Z';
const STATE = '/gm/mc/watchdog-state';
const SESSION = '/gm/mc/session';
const RULE = 'gm-mc-watchdog-schedule';

let sim: SimClock;
let aws: FakeAws;
let loop: OperatorLoop;
let configDir: string;
/** Every change of the simulated AWS with the simulated time it happened at. */
const changes: { entry: string; at: number }[] = [];

/** The configuration the operator's commands read: the loop game as synth would deploy it. */
const CONFIG_YAML = `name: ${PREFIX}
region: ${REGION}
domain:
  name: example.com
state:
  bucket: gm-test-state
games:
  mc:
    image: example/game-server:1
    instanceType: t3.medium
    ports:
      - port: 25565
    srv:
      service: minecraft
      protocol: tcp
    watchdog:
      probe:
        type: connections
      idleMinutes: 5
      startupMinutes: 5
`;

function command(name: 'start' | 'status' | 'stop', args: string[]) {
  const deps = { clock: loop.clock, env: { GM_CONFIG: join(configDir, 'gamemanagement.yaml') } };
  const table = [startCommandWith(deps), statusCommandWith(deps), stopCommandWith(deps)];
  const captured = captureIo();
  return { captured, status: main([name, ...args], captured.io, table) };
}

/** The simulated time of the first change matching `pattern` after `since` (ms). */
function happened(pattern: RegExp, since: number): number {
  const found = changes.find((c) => c.at >= since && pattern.test(c.entry));
  if (!found) throw new Error(`nothing matching ${pattern} happened since ${new Date(since).toISOString()}`);
  return found.at;
}

/** How a timeline line prints a step at `at`, `gap` ms after the step before it. */
function line(at: number, step: string, previous?: number): string {
  const clock = new Date(at).toISOString().slice(11, 19);
  return `${clock}  ${step.padEnd(17)}${previous === undefined ? '' : `  +${Math.round((at - previous) / 1000)} s`}`.trimEnd();
}

function storedState(): Record<string, unknown> {
  return JSON.parse(aws.parameter(STATE) ?? '{}') as Record<string, unknown>;
}

beforeAll(() => {
  configDir = mkdtempSync(join(tmpdir(), 'gm-operator-'));
  writeFileSync(join(configDir, 'gamemanagement.yaml'), CONFIG_YAML);
  sim = installSimClock(START);
  const mc = loopGame({ id: 'mc', fqdn: 'mc.example.com', probe: { type: 'connections' }, idleMinutes: 5, startupMinutes: 5, stopTimeoutSeconds: 60 });
  aws = deployedAws([mc], { now: sim.now, timing: { bootSeconds: 30, agentSeconds: 10, taskStartSeconds: 40, taskStopSeconds: 15 } });
  aws.world.observe((entry, at) => changes.push({ entry, at }));
  loop = new OperatorLoop(sim, aws, loopFunctions([mc], sim.clock), 'mc', RULE);
});

afterAll(() => {
  sim?.uninstall();
  aws?.restore();
  rmSync(configDir, { recursive: true, force: true });
});

afterEach(() => {
  expect(loop.errors).toEqual([]);
  expect(aws.violations).toEqual([]);
});

/** The timeline `gm start` printed for the first start, and the times of its steps. */
let firstStartLines: string[] = [];
let firstStart: Record<'wake' | 'launched' | 'running' | 'registered' | 'placed' | 'taskRunning' | 'ready', number>;

describe('gm start, gm status and gm stop in the simulated world', () => {
  it('gm start: the timeline it prints is the simulated events, at their times, and it exits 0 once the watchdog saw the game answer', async () => {
    const since = sim.now();
    const { captured, status } = command('start', ['mc']);

    await expect(status).resolves.toBe(0);

    const wake = happened(new RegExp(`^ssm put ${SESSION}$`), since);
    const launched = happened(/^asg gm-mc launch i-/, since);
    const ec2Running = happened(/^ec2 i-[0-9a-f]+ running$/, since);
    const registered = happened(/^ecs container instance ci\d+ registered on i-/, since);
    // The image pull takes no time in this simulation: placed and pulled at once.
    const placed = happened(/^ecs task\d+ PENDING on i-/, since);
    const taskRunning = happened(/^ecs task\d+ RUNNING$/, since);
    const ready = happened(/^sns ready mc\.example\.com in \d+ s$/, since);
    expect(storedState().readyAt).toBe(new Date(ready).toISOString());
    // The launch hook saw the instance run at its next look for the address (every 3 s).
    const running = Date.parse(String(storedState().instanceRunningAt));
    expect(running - ec2Running).toBeGreaterThanOrEqual(0);
    expect(running - ec2Running).toBeLessThan(3_000);
    firstStart = { wake, launched, running, registered, placed, taskRunning, ready };
    firstStartLines = [
      `  ${line(wake, 'wake')}`,
      `  ${line(launched, 'instance launched', wake)}`,
      `  ${line(running, 'instance running', launched)}`,
      `  ${line(registered, 'agent registered', running)}`,
      `  ${line(placed, 'pulling image', registered)}`,
      `  ${line(placed, 'image pulled', placed)}`,
      `  ${line(taskRunning, 'task running', placed)}`,
      `  ${line(ready, 'ready', taskRunning)}`,
    ];
    expect(captured.out).toEqual([
      'starting mc',
      ...firstStartLines,
      expect.stringMatching(/^mc is ready after (\d+ min )?\d+ s: connect to mc\.example\.com \(198\.51\.100\.1\)$/),
    ]);
    // The simulation's own order: boot (30 s), agent (10 s), task start (40 s), then the watchdog's minute.
    expect([launched - wake, ec2Running - launched, registered - ec2Running, taskRunning - registered]).toEqual([0, 30_000, 10_000, 40_000]);
    expect(JSON.parse(aws.parameter(SESSION) ?? '{}')).toMatchObject({ source: 'operator', startedAt: new Date(wake).toISOString() });
    // The launch copied the start into the watchdog state, so the timeline outlives the session.
    expect(storedState()).toMatchObject({ wakeAt: new Date(wake).toISOString(), startSource: 'operator' });
  });

  it('gm status after ready: running, the players the watchdog counted, the instance address, the same timeline', async () => {
    aws.setPlayers('mc', 2);
    await loop.runUntil(sim.now() + 60_000);

    const { captured, status } = command('status', ['mc']);

    await expect(status).resolves.toBe(0);
    expect(captured.out[0]).toBe('mc (mc.example.com): running');
    expect(captured.out[1]).toMatch(/^ {2}players: 2 \(counted \d\d:\d\d:\d\d\)$/);
    expect(captured.out[2]).toBe(`  address: mc.example.com → 198.51.100.1 (${aws.ec2Instances()[0]!.instanceId})`);
    expect(captured.out[3]).toMatch(/^ {2}uptime: \d+ min( \d+ s)?$/);
    expect(captured.out.slice(4, 13)).toEqual(['  start (asked by gm start), UTC:', ...firstStartLines.map((l) => `  ${l}`)]);
    expect(captured.out[13]).toMatch(/^ {2}cost so far: \$0\.\d\d \(0\.\d h × \$0\.\d{4}\/h\)$/);
  });

  it('gm stop: drains through the real instance hook, waits until the host is gone and the session ended; the last stop is "manual"', async () => {
    const since = sim.now();
    const { captured, status } = command('stop', ['mc']);

    await expect(status).resolves.toBe(0);
    expect(captured.out[0]).toBe('stopping mc: the game saves, then its host terminates');
    expect(captured.out[1]).toMatch(/^mc stopped in \d+ s$/);
    // The real hook drained the task (the game saved) before the host went, and ended the session.
    expect(aws.tasks().every((t) => t.lastStatus === 'STOPPED' && t.saved === true)).toBe(true);
    const order = (pattern: RegExp) => changes.findIndex((c) => c.at >= since && pattern.test(c.entry));
    expect(order(/^ssm delete \/gm\/mc\/session$/)).toBeGreaterThan(order(/^ecs task\d+ STOPPED/));
    expect(aws.parameter(SESSION)).toBeUndefined();
    expect(aws.group().desiredCapacity).toBe(0);
    expect(storedState()).toMatchObject({ stopReason: 'manual', stopRequestedAt: new Date(since).toISOString() });

    const after = command('status', ['mc']);
    await expect(after.status).resolves.toBe(0);
    expect(after.captured.out[0]).toBe('mc (mc.example.com): stopped');
    // Once the host and its task are gone, the start is told from the watchdog state, which recorded every step.
    expect(after.captured.out.slice(1, 10)).toEqual(['  last start (asked by gm start), UTC:', ...firstStartLines.map((l) => `  ${l}`)]);
    expect(after.captured.out[10]).toBe(`  last stop: ${new Date(since).toISOString().slice(0, 19).replace('T', ' ')} UTC (manual)`);
    // And the stop's own steps, as the real hook recorded them: each at its simulated time, in order.
    const stopLines = after.captured.out.slice(11).map((l) => /^ {4}(\d\d:\d\d:\d\d) {2}(\S+(?: \S+)*)/.exec(l));
    expect(stopLines.map((m) => m?.[2])).toEqual(['stop decided', 'drain started', 'container exited', 'instance released']);
    const state = storedState() as Record<string, string>;
    const clock = (iso: string) => iso.slice(11, 19);
    expect(stopLines.map((m) => m?.[1])).toEqual([state.stopRequestedAt, state.drainStartedAt, state.containerExitedAt, state.terminatedAt].map((t) => clock(t!)));
    const saved = changes.find((c) => c.at >= since && /^ecs task\d+ STOPPED/.test(c.entry));
    expect(Date.parse(state.containerExitedAt!)).toBeGreaterThanOrEqual(saved!.at);
  });

  it('gm start during a stop: says so, waits (one host at a time), and follows the start the end of the stop makes', async () => {
    // Running again, then a stop decided by the shared rule (as the watchdog would); its terminate event is not delivered yet.
    await expect(command('start', ['mc']).status).resolves.toBe(0);
    await expect(requestStop({ asgName: 'gm-mc', stateParameterName: STATE }, 'idle', new Date(sim.now()), REGION)).resolves.toMatchObject({ result: 'stopping', recorded: true });
    const since = sim.now();

    const { captured, status } = command('start', ['mc']);

    await expect(status).resolves.toBe(0);
    expect(captured.out[0]).toBe('mc is still stopping: it starts when the stop ends');
    // The new session is the end of the stop's start, for the wake the command recorded.
    const sessionEnded = happened(/^ssm delete \/gm\/mc\/session$/, since);
    const relaunched = happened(/^asg gm-mc launch i-/, since);
    expect(relaunched).toBeGreaterThanOrEqual(sessionEnded);
    expect(JSON.parse(aws.parameter(SESSION) ?? '{}')).toMatchObject({ source: 'pending-wake' });
    expect(captured.out[1]).toBe(`  ${line(happened(new RegExp(`^ssm put ${SESSION}$`), sessionEnded), 'wake')}`);
    expect(captured.out.at(-1)).toMatch(/^mc is ready after .*: connect to mc\.example\.com \(198\.51\.100\.\d+\)$/);
    expect(captured.progress.find((p) => p?.includes('waiting for the stop to end'))).toBeDefined();
  });
});
