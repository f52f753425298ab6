/**
 * The watchdog through its handler: the environment as the constructs write
 * it, AWS mocked (aws-sdk-client-mock), time simulated. Failures of AWS calls
 * are in faults.test.ts.
 */
import '../../support/powertools-env';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { GetCommandInvocationCommand, GetParameterCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import { READY_PROBE_INTERVAL_MS, READY_WAIT_MS } from '../../../src/lambdas/watchdog/flows';
import { PLACEHOLDER_IPV4 } from '../../../src/runtime/dns';
import {
  GAME,
  INSTANCE,
  NOW,
  SCHEDULED,
  bootingState,
  disabledRules,
  givenConnections,
  givenEcsStartTimes,
  givenGroup,
  givenRecords,
  givenServing,
  givenSession,
  givenState,
  iso,
  lookupSession,
  mocks,
  playedState,
  published,
  resetWorld,
  savedState,
  scaledTo,
  watchdog,
} from './support';
import { awsError } from '../../support/aws-errors';
import { functionEnvironment } from '../../support/game';
import { closedPort, startMinecraftServer, type MinecraftServer } from '../../support/minecraft';
import { capturePowertools } from '../../support/powertools-output';

const output = capturePowertools();

beforeEach(resetWorld);

describe('watchdog handler', () => {
  it('stops an idle server: scales the group to 0, records the stop, then notifies; with its metrics', async () => {
    givenServing();
    givenState(playedState(11));
    givenConnections('Success', '0\n');

    const outcome = await watchdog().run(SCHEDULED);

    expect(outcome).toEqual({ status: 'probed', instanceId: INSTANCE, probe: { ok: true, players: 0, latencyMs: 0 }, actions: [{ type: 'stop', reason: 'idle', minutes: 11 }] });
    expect(mocks.ssm.commandCalls(SendCommandCommand)[0]!.args[0].input).toMatchObject({
      DocumentName: GAME.connectionsDocumentName,
      InstanceIds: [INSTANCE],
      Parameters: { ports: ['tcp:25565 udp:19132'] },
    });
    expect(scaledTo()).toEqual([0]);
    expect(published()).toEqual([
      { TopicArn: expect.any(String), Subject: 'stopping mc.example.com: idle 11 min', Message: expect.stringContaining('starts it again') },
    ]);
    expect(savedState()).toMatchObject({ stopReason: 'idle', stopRequestedAt: iso(0), lastRunAt: iso(0), players: 0 });
    expect(output.metrics()).toEqual(expect.arrayContaining([
      { name: 'Players', value: 0, game: 'mc' },
      { name: 'ProbeLatency', value: 0, game: 'mc' },
    ]));
  });

  it('keeps a server with players running, moves the idle clock and stores the player count', async () => {
    givenServing();
    givenState(playedState(9, { players: 0 }));
    givenConnections('Success', '2\n');

    const outcome = await watchdog().run(SCHEDULED);

    expect(outcome).toMatchObject({ status: 'probed', actions: [], probe: { ok: true, players: 2 } });
    expect(scaledTo()).toEqual([]);
    expect(published()).toEqual([]);
    expect(savedState()).toMatchObject({ players: 2, lastPlayersAt: iso(0), idleSince: iso(0), everJoined: true });
    expect(output.metrics()).toContainEqual({ name: 'Players', value: 2, game: 'mc' });
  });

  it('keeps the last count through a failed probe (the instance hook reads it on a spot warning)', async () => {
    givenServing();
    givenState(playedState(0, { players: 3 }));
    givenConnections('Failed', '', 'ss: command not found', 1);

    await watchdog().run(SCHEDULED);

    expect(savedState()).toMatchObject({ players: 3, consecutiveProbeErrors: 1 });
  });

  describe('ready', () => {
    it('counts "ready in N s" from the player\'s lookup in the session', async () => {
      givenServing();
      // Looked up 3 min ago, launched 2 min 50 s ago; the game answers now.
      givenSession(lookupSession(3));
      givenState(bootingState(170 / 60));
      givenConnections('Success', '0');

      await watchdog().run(SCHEDULED);

      expect(published()).toEqual([{
        TopicArn: expect.any(String),
        Subject: 'ready mc.example.com in 180 s',
        // The container was first seen running in this run, when the game answered: 0 s of game.
        Message: 'mc.example.com is ready 180 s after your lookup (game 0 s). Connect to mc.example.com.',
      }]);
      expect(savedState()).toMatchObject({ readyAt: iso(0), taskRunningAt: iso(0), consecutiveProbeErrors: 0, players: 0 });
      expect(output.metrics()).toContainEqual({ name: 'StartupSeconds', value: 180, game: 'mc' });
    });

    it('counts from the start (the wake call) when no lookup asked for it (a start by `gm start`)', async () => {
      givenServing();
      givenSession({ startedAt: iso(3), source: 'operator' });
      givenState(bootingState(2));
      givenConnections('Success', '0');

      await watchdog().run(SCHEDULED);

      expect(published()[0]).toMatchObject({ Subject: 'ready mc.example.com in 180 s', Message: expect.stringMatching(/^mc\.example\.com is ready 180 s after the start /) });
    });

    it("breaks the wait down with ECS's times of the start and the hook's, records them once and measures each phase", async () => {
      givenServing();
      givenSession(lookupSession(2));
      // The instance hook saw the instance running 25 s after the launch (2 min ago less 2 s).
      givenState(bootingState(118 / 60, { instanceRunningAt: iso(93 / 60) }));
      givenEcsStartTimes({ registeredAt: iso(89 / 60), pullStartedAt: iso(88 / 60), pullStoppedAt: iso(66 / 60), startedAt: iso(65 / 60) });
      givenConnections('Success', '0');

      await watchdog().run(SCHEDULED);

      // Lookup 120 s ago → agent registered 89 s ago: 31 s; pull 22 s; running 65 s ago → ready now: 65 s.
      expect(published()[0]?.Message).toBe('mc.example.com is ready 120 s after your lookup (instance 31 s, image 22 s, game 65 s). Connect to mc.example.com.');
      expect(savedState()).toMatchObject({
        instanceRunningAt: iso(93 / 60),
        agentRegisteredAt: iso(89 / 60),
        pullStartedAt: iso(88 / 60),
        pullStoppedAt: iso(66 / 60),
        taskRunningAt: iso(65 / 60),
        readyAt: iso(0),
      });
      expect(output.metrics()).toEqual(expect.arrayContaining([
        { name: 'StartupSeconds', value: 120, game: 'mc' },
        { name: 'StartInstanceSeconds', value: 31, game: 'mc' },
        { name: 'StartImageSeconds', value: 22, game: 'mc' },
        { name: 'StartGameSeconds', value: 65, game: 'mc' },
      ]));
    });

    it("keeps the hook's running time written while the run probed, instead of saving over it", async () => {
      givenServing();
      givenSession(lookupSession(2));
      const booting = bootingState(118 / 60);
      // The first read finds the state without it; the hook writes it before the run saves.
      mocks.ssm.on(GetParameterCommand, { Name: GAME.stateParameterName })
        .resolvesOnce({ Parameter: { Name: GAME.stateParameterName, Value: JSON.stringify(booting) } })
        .resolves({ Parameter: { Name: GAME.stateParameterName, Value: JSON.stringify({ ...booting, instanceRunningAt: iso(93 / 60) }) } });
      givenConnections('Success', '0');

      await watchdog().run(SCHEDULED);

      expect(savedState()).toMatchObject({ instanceRunningAt: iso(93 / 60), readyAt: iso(0) });
    });

    it("announces ready all the same when ECS's times cannot be read (access denied): logged and counted", async () => {
      givenServing();
      givenSession(lookupSession(2));
      givenState(bootingState(118 / 60));
      mocks.ecs.on(ListTasksCommand).rejects(awsError('AccessDeniedException', 'User: arn:aws:sts::123456789012:assumed-role/gm-mc-watchdog/x is not authorized to perform: ecs:ListTasks'));
      givenConnections('Success', '0');

      await watchdog().run(SCHEDULED);

      expect(published()[0]?.Subject).toBe('ready mc.example.com in 120 s');
      expect(savedState()).toMatchObject({ taskRunningAt: iso(0), readyAt: iso(0) });
      expect(output.metricNames()).toContain('StartTimesUnread');
      expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: expect.stringContaining("could not read ECS's times") }));
    });

    it('probes a booting game again every 5 s and sees it ready within seconds, not on the next run', async () => {
      givenServing();
      givenSession(lookupSession(2));
      givenState(bootingState(2));
      mocks.ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
      // Nothing listens for the first three probes (0, 5, 10 s); the fourth (15 s) counts 0 players.
      const notListening = { Status: 'Failed' as const, ResponseCode: 3, StandardErrorContent: 'nothing listens', StatusDetails: 'Failed' };
      mocks.ssm.on(GetCommandInvocationCommand)
        .resolvesOnce(notListening).resolvesOnce(notListening).resolvesOnce(notListening)
        .resolves({ Status: 'Success', ResponseCode: 0, StandardOutputContent: '0\n', StatusDetails: 'Success' });

      const { run, clock } = watchdog();
      const outcome = await run(SCHEDULED);

      expect(clock.sleeps).toEqual([READY_PROBE_INTERVAL_MS, READY_PROBE_INTERVAL_MS, READY_PROBE_INTERVAL_MS]);
      expect(mocks.ssm.commandCalls(SendCommandCommand)).toHaveLength(4);
      expect(outcome).toMatchObject({ probe: { ok: true, players: 0 }, actions: [{ type: 'notify-ready', seconds: 135 }] });
      expect(savedState()).toMatchObject({ readyAt: new Date(NOW + 15_000).toISOString(), consecutiveProbeErrors: 0 });
      expect(published().map((p) => p.Subject)).toEqual(['ready mc.example.com in 135 s']);
    });

    it('gives up re-probing after ~50 s of the run: bounded, one probe error for the run', async () => {
      givenServing();
      givenState(bootingState(2));
      givenConnections('Failed', '', 'nothing listens', 3);

      const { run, clock } = watchdog();
      const outcome = await run(SCHEDULED);

      expect(mocks.ssm.commandCalls(SendCommandCommand)).toHaveLength(READY_WAIT_MS / READY_PROBE_INTERVAL_MS + 1);
      expect(clock.at - NOW).toBe(READY_WAIT_MS);
      expect(outcome).toMatchObject({ probe: { ok: false, error: 'game is not listening yet' }, actions: [] });
      expect(savedState()).toMatchObject({ consecutiveProbeErrors: 1, probeErrorsSince: new Date(NOW + READY_WAIT_MS).toISOString() });
      expect(published()).toEqual([]);
    });

    it('does not re-probe a game that is ready (the next run comes in a minute)', async () => {
      givenServing();
      givenState(playedState(2));
      givenConnections('Failed', '', 'nothing listens', 3);

      const { run, clock } = watchdog();
      await run(SCHEDULED);

      expect(clock.sleeps).toEqual([]);
      expect(mocks.ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
    });

    it('checks again whether the game\'s container runs, and probes only once it does', async () => {
      givenServing();
      givenState(bootingState(1));
      mocks.ecs.on(DescribeServicesCommand)
        .resolvesOnce({ services: [{ serviceName: GAME.serviceName, runningCount: 0 }] })
        .resolves({ services: [{ serviceName: GAME.serviceName, runningCount: 1 }] });
      givenConnections('Success', '0');

      const outcome = await watchdog().run(SCHEDULED);

      expect(mocks.ecs.commandCalls(DescribeServicesCommand)).toHaveLength(2);
      expect(mocks.ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
      expect(outcome).toMatchObject({ probe: { ok: true }, actions: [{ type: 'notify-ready', seconds: 65 }] });
    });
  });

  describe('lost state (2a)', () => {
    it('with players on, a missing state neither stops the game nor announces it again: fresh from now, players counted', async () => {
      givenServing();
      givenSession(lookupSession(60));
      givenState(undefined);
      givenConnections('Success', '3');

      const outcome = await watchdog().run(SCHEDULED);

      expect(outcome).toMatchObject({ probe: { ok: true, players: 3 }, actions: [] });
      expect(scaledTo()).toEqual([]);
      expect(published()).toEqual([]);
      expect(savedState()).toEqual({
        instanceId: INSTANCE,
        launchedAt: lookupSession(60).startedAt,
        watchingSince: iso(0),
        readyAt: iso(0),
        lastPlayersAt: iso(0),
        idleSince: iso(0),
        players: 3,
        everJoined: true,
        consecutiveProbeErrors: 0,
        lastRunAt: iso(0),
        maxHoursAlerted: false,
        // The container was seen running in this run, before the probe.
        taskRunningAt: iso(0),
      });
      expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'starting a fresh watchdog state', reason: 'nothing stored' }));
      expect(output.metricNames()).toContain('StateResets');
    });

    it('an unreadable state an hour into the session, while the probe fails, is not "not ready after 60 min"', async () => {
      givenServing();
      givenSession(lookupSession(60));
      givenState('{"instanceId": "i-0123456789abcdef0", "launchedAt": 17');
      givenConnections('Failed', '', 'docker: not running', 1);

      const outcome = await watchdog().run(SCHEDULED);

      expect(outcome).toMatchObject({ probe: { ok: false }, actions: [] });
      expect(scaledTo()).toEqual([]);
      expect(published()).toEqual([]);
      expect(savedState()).toMatchObject({ watchingSince: iso(0), consecutiveProbeErrors: 1 });
    });
  });

  it('a state the same (warm-pool) instance left in an earlier session starts afresh', async () => {
    givenServing();
    givenSession(lookupSession(1));
    givenState(playedState(30, { stopRequestedAt: iso(120), stopReason: 'idle', lastRunAt: iso(119) }));
    givenConnections('Success', '0');

    const outcome = await watchdog().run(SCHEDULED);

    expect(outcome).toMatchObject({ actions: [{ type: 'notify-ready', seconds: 60 }] });
    expect(savedState()).toMatchObject({ readyAt: iso(0), everJoined: false });
    expect(savedState().stopRequestedAt).toBeUndefined();
  });

  it('while the group is at 0 (a stop under way) it probes nothing and keeps lastRunAt moving for the failsafe', async () => {
    givenGroup([{ id: INSTANCE, state: 'InService' }], 0);
    givenState(playedState(11, { stopRequestedAt: iso(1), stopReason: 'idle' }));

    await expect(watchdog().run(SCHEDULED)).resolves.toEqual({ status: 'stopping', instanceId: INSTANCE });

    expect(mocks.ssm.commandCalls(SendCommandCommand)).toEqual([]);
    expect(savedState()).toMatchObject({ lastRunAt: iso(0), stopReason: 'idle' });
    expect(published()).toEqual([]);
  });

  it('a stop it decided is dropped when the group was raised again, and the idle clock restarts', async () => {
    givenServing();
    givenState(playedState(20, { stopRequestedAt: iso(3), stopReason: 'idle' }));
    givenConnections('Success', '0');

    const outcome = await watchdog().run(SCHEDULED);

    expect(outcome).toMatchObject({ actions: [] });
    const state = savedState();
    expect(state.stopRequestedAt).toBeUndefined();
    expect(state.idleSince).toBe(iso(0));
  });

  it.each([
    ['Failed', '', 'ss: command not found'],
    ['TimedOut', '', ''],
  ] as const)('an SSM command that ended %s is a probe error: no stop, no player metric, logged and counted', async (status, stdout, stderr) => {
    givenServing();
    givenState(playedState(30, { consecutiveProbeErrors: 1, probeErrorsSince: iso(1) }));
    givenConnections(status, stdout, stderr);

    const outcome = await watchdog().run(SCHEDULED);

    expect(outcome).toMatchObject({ status: 'probed', actions: [], probe: { ok: false, error: expect.stringContaining(`ended ${status}`) } });
    expect(scaledTo()).toEqual([]);
    expect(savedState()).toMatchObject({ consecutiveProbeErrors: 2, probeErrorsSince: iso(1), lastProbeError: expect.stringContaining(status) });
    expect(output.metricNames()).toEqual(['ProbeErrors']);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'probe failed', type: 'connections' }));
  });

  it('waits for the invocation that does not exist yet right after SendCommand', async () => {
    givenServing();
    givenState(playedState(2));
    mocks.ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-2' } });
    mocks.ssm.on(GetCommandInvocationCommand)
      .rejectsOnce(awsError('InvocationDoesNotExist', 'no invocation'))
      .resolvesOnce({ Status: 'InProgress' })
      .resolves({ Status: 'Success', StandardOutputContent: '3\n' });

    const { run, clock } = watchdog();
    const outcome = await run(SCHEDULED);

    expect(outcome).toMatchObject({ probe: { ok: true, players: 3, latencyMs: 2000 } });
    expect(clock.sleeps).toEqual([1000, 1000]);
    expect(mocks.ssm.commandCalls(GetCommandInvocationCommand).map((c) => c.args[0].input)).toEqual(
      Array.from({ length: 3 }, () => ({ CommandId: 'cmd-2', InstanceId: INSTANCE })),
    );
  });

  it('output that is not one integer is a probe error', async () => {
    givenServing();
    givenState(playedState(30));
    givenConnections('Success', 'usage: count-connections.sh tcp:PORT…\n');

    const outcome = await watchdog().run(SCHEDULED);

    expect(outcome).toMatchObject({ probe: { ok: false, error: expect.stringContaining('expected one integer') }, actions: [] });
  });

  it('throws, naming the group, when the Auto Scaling group does not exist: logged and counted', async () => {
    mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });

    await expect(watchdog().run(SCHEDULED)).rejects.toThrow(new RegExp(`Auto Scaling group ${GAME.asgName} not found.*cdktf deploy`));
    expect(disabledRules()).toEqual([]);
    expect(savedStatesCount()).toBe(0);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'watchdog run failed', error: expect.stringContaining(`Auto Scaling group ${GAME.asgName} not found`) }));
    expect(output.metrics()).toContainEqual({ name: 'RunFailures', value: 1, game: 'mc' });
  });

  it.each([
    ['no instance', [] as { id: string; state: 'Terminating:Wait' | 'Warmed:Stopped' }[]],
    ['only a terminating instance', [{ id: INSTANCE, state: 'Terminating:Wait' as const }]],
    ['only a warm-pool instance', [{ id: INSTANCE, state: 'Warmed:Stopped' as const }]],
  ])('with %s it turns its schedule off and probes nothing', async (_label, instances) => {
    givenGroup(instances, 0);

    await expect(watchdog().run(SCHEDULED)).resolves.toEqual({ status: 'no-instance', desiredCapacity: 0 });

    expect(disabledRules()).toEqual([GAME.watchdogRuleName]);
    expect(mocks.ssm.calls()).toEqual([]);
    expect(output.metrics()).toEqual([]);
  });

  it('watches the InService instance when a replacement overlaps it', async () => {
    givenGroup([{ id: 'i-0fffffffffffffff0', state: 'Pending:Wait' }, { id: INSTANCE, state: 'InService' }]);
    givenState(playedState(1));
    givenConnections('Success', '1');

    await expect(watchdog().run(SCHEDULED)).resolves.toMatchObject({ instanceId: INSTANCE });
  });

  it('a missing ECS service fails the run (to the failsafe), naming the service and the fix', async () => {
    givenServing();
    givenState(playedState(30));
    mocks.ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: 'arn:aws:ecs:eu-west-1:123456789012:service/gm-mc/gm-mc', reason: 'MISSING' }] });

    await expect(watchdog().run(SCHEDULED)).rejects.toThrow(/ECS service gm-mc not found in cluster gm-mc \(MISSING\).*cdktf deploy/);
    expect(mocks.ssm.commandCalls(SendCommandCommand)).toEqual([]);
    expect(scaledTo()).toEqual([]);
  });

  it('a DescribeServices the role may not make fails the run instead of waiting out the boot grace', async () => {
    givenServing();
    givenState(playedState(30));
    mocks.ecs.on(DescribeServicesCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: ecs:DescribeServices'));

    await expect(watchdog().run(SCHEDULED)).rejects.toThrow(/not authorized/);
  });

  describe('traffic probe', () => {
    const TRAFFIC_GAME = { ...GAME, probe: { type: 'traffic' as const, bytesPerMinute: 50_000 } };

    it('counts someone playing when the latest minute received at least bytesPerMinute', async () => {
      givenServing();
      givenState(playedState(5));
      mocks.cloudWatch.on(GetMetricDataCommand).resolves({
        MetricDataResults: [{ Id: 'networkIn', Timestamps: [new Date(NOW - 180_000), new Date(NOW - 120_000)], Values: [1_000, 80_000] }],
      });

      const outcome = await watchdog({ game: TRAFFIC_GAME }).run(SCHEDULED);

      expect(outcome).toMatchObject({ probe: { ok: true, players: 1 } });
      const input = mocks.cloudWatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
      expect(input.MetricDataQueries?.[0]?.MetricStat).toEqual({
        Metric: { Namespace: 'AWS/EC2', MetricName: 'NetworkIn', Dimensions: [{ Name: 'InstanceId', Value: INSTANCE }] },
        Period: 60,
        Stat: 'Sum',
      });
      expect(input.EndTime).toEqual(new Date(NOW));
      expect(mocks.ssm.commandCalls(SendCommandCommand)).toEqual([]);
    });

    it('no datapoints yet is a probe error, and a booting traffic game is not probed again within the run', async () => {
      givenServing();
      givenState(bootingState(1));
      mocks.cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'networkIn', Timestamps: [], Values: [] }] });

      const { run, clock } = watchdog({ game: TRAFFIC_GAME });
      const outcome = await run(SCHEDULED);

      expect(outcome).toMatchObject({ probe: { ok: false, error: expect.stringContaining('no NetworkIn datapoints yet') } });
      expect(clock.sleeps).toEqual([]);
    });
  });

  describe('query probe', () => {
    const queryGame = (port: number) => ({ ...GAME, probe: { type: 'query' as const, game: 'minecraft', port } });

    it('queries the address the game\'s A record holds, read from the zone\'s API (a lookup would wake the game)', async () => {
      givenServing();
      givenState(playedState(1));
      givenRecords('127.0.0.1');
      const closed = await closedPort();

      const outcome = await watchdog({ game: queryGame(closed) }).run(SCHEDULED);

      expect(mocks.route53.commandCalls(ListResourceRecordSetsCommand).map((c) => c.args[0].input)).toEqual([
        { HostedZoneId: GAME.hostedZoneId, StartRecordName: 'mc.example.com.', StartRecordType: 'A', MaxItems: 2 },
      ]);
      expect(outcome).toMatchObject({ probe: { ok: false, error: expect.stringContaining(`127.0.0.1:${closed}`) } });
    });

    it('a record still at the placeholder is a probe error that says so; nothing is queried', async () => {
      givenServing();
      givenState(playedState(1));
      givenRecords(PLACEHOLDER_IPV4);

      const outcome = await watchdog({ game: queryGame(25565) }).run(SCHEDULED);

      expect(outcome).toMatchObject({ probe: { ok: false, error: 'mc.example.com still points at the placeholder address: the instance hook has not pointed it at the instance yet' } });
    });

    describe('against a real Minecraft server that starts while the run waits', () => {
      let server: MinecraftServer | undefined;
      afterEach(async () => {
        await server?.close();
        server = undefined;
      });

      it('sees it ready at the first probe after it answers (within 5 s), and counts from the lookup', async () => {
        const port = await closedPort();
        givenServing();
        givenSession(lookupSession(1));
        givenState(bootingState(50 / 60));
        givenRecords('127.0.0.1');
        const { run, clock } = watchdog({ game: queryGame(port) });
        // The game starts listening 12 s into the run.
        clock.onSleep = async (at) => {
          if (at - NOW >= 12_000 && !server) server = await startMinecraftServer({ port });
        };

        const outcome = await run(SCHEDULED);

        // Probes at 0, 5 and 10 s find nothing; the one at 15 s finds the game, 75 s after the lookup.
        expect(clock.sleeps).toEqual([5_000, 5_000, 5_000]);
        expect(outcome).toMatchObject({ probe: { ok: true, players: 0 }, actions: [{ type: 'notify-ready', seconds: 75 }] });
        expect(published().map((p) => p.Subject)).toEqual(['ready mc.example.com in 75 s']);
      });
    });
  });

  it('an event other than the schedule\'s is logged and counted, and the run is the same', async () => {
    givenServing();
    givenState(playedState(1));
    givenConnections('Success', '1');

    await expect(watchdog().run({ hello: 'world' })).resolves.toMatchObject({ status: 'probed', probe: { ok: true, players: 1 } });
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: expect.stringContaining('other than its schedule') }));
    expect(output.metricNames()).toContain('UnexpectedEvents');
  });

  it('fails with the variable name when GM_GAME is missing, before any AWS call: logged and counted', async () => {
    const { GM_GAME: _game, ...env } = functionEnvironment('watchdog');

    await expect(watchdog({ env }).run(SCHEDULED)).rejects.toThrow(/GM_GAME is not set/);
    expect(mocks.autoScaling.calls()).toEqual([]);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'watchdog run failed' }));
    expect(output.metricNames()).toContain('RunFailures');
  });

  it('refuses a GM_GAME that lacks a field it reads, naming the field', async () => {
    const env = functionEnvironment('watchdog');
    const game = JSON.parse(env.GM_GAME ?? '') as Record<string, unknown>;
    delete game.hostedZoneId;

    await expect(watchdog({ env: { ...env, GM_GAME: JSON.stringify(game) } }).run(SCHEDULED)).rejects.toThrow(/GM_GAME \(hostedZoneId\)/);
  });
});

function savedStatesCount(): number {
  return mocks.ssm.calls().filter((c) => (c.args[0].input as { Name?: string; Value?: string }).Value !== undefined).length;
}
