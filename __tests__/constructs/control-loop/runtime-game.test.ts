/**
 * `GM_GAME`, the runtime contract of each game's functions, names the very
 * resources the stack creates for that game.
 */
import type { RuntimeGame } from '../../../src/runtime/contract';
import { checkRuntimeGame } from '../../../src/lambdas/instance-hook/runtime-game';
import { THREE_GAMES, byName, ref, resources, synthMain, type SynthResult } from './support/synth';

const GAMES = ['mc', 'valheim', 'terraria'] as const;
const PER_GAME = ['watchdog', 'failsafe', 'instance-hook'] as const;

let synth: SynthResult;
beforeAll(() => {
  synth = synthMain(THREE_GAMES);
});

function variables(name: string): Record<string, string> {
  return (byName(synth.json, 'aws_lambda_function', name).body.environment as { variables: Record<string, string> }).variables;
}

function runtimeGameOf(name: string): RuntimeGame {
  return JSON.parse(variables(name).GM_GAME!) as RuntimeGame;
}

describe.each(GAMES)('game %s', (game) => {
  it('gives its three functions the same GM_GAME and the alerts topic', () => {
    const values = PER_GAME.map((entry) => variables(`gm-${game}-${entry}`).GM_GAME);
    expect(new Set(values).size).toBe(1);
    const topic = ref('aws_sns_topic', byName(synth.json, 'aws_sns_topic', 'gm-alerts'), 'arn');
    for (const entry of PER_GAME) expect(variables(`gm-${game}-${entry}`).GM_TOPIC_ARN).toBe(topic);
  });

  it.each(PER_GAME)('%s: GM_GAME names the game\'s own resources', (entry) => {
    const runtime = runtimeGameOf(`gm-${game}-${entry}`);
    const config = synth.config.games.find((g) => g.id === game)!;
    expect(runtime.id).toBe(game);
    expect(runtime.fqdn).toBe(config.fqdn);
    expect(runtime.srvName).toBe(config.srv?.name);
    expect(runtime.asgName).toBe(byName(synth.json, 'aws_autoscaling_group', `gm-${game}`).body.name);
    expect(runtime.clusterName).toBe(byName(synth.json, 'aws_ecs_cluster', `gm-${game}`).body.name);
    expect(runtime.serviceName).toBe(byName(synth.json, 'aws_ecs_service', `gm-${game}`).body.name);
    expect(runtime.watchdogRuleName).toBe(byName(synth.json, 'aws_cloudwatch_event_rule', `gm-${game}-watchdog-schedule`).body.name);
    // The schedule the instance hook switches is the one that runs this game's watchdog.
    const schedule = byName(synth.json, 'aws_cloudwatch_event_rule', runtime.watchdogRuleName);
    expect(resources(synth.json, 'aws_cloudwatch_event_target').filter((t) => t.body.rule === ref('aws_cloudwatch_event_rule', schedule, 'name')).map((t) => t.body.arn))
      .toEqual([ref('aws_lambda_function', byName(synth.json, 'aws_lambda_function', `gm-${game}-watchdog`), 'arn')]);
    expect(byName(synth.json, 'aws_ssm_parameter', runtime.stateParameterName).body.name).toBe(runtime.stateParameterName);
    expect(byName(synth.json, 'aws_ssm_document', runtime.connectionsDocumentName).body.name).toBe(runtime.connectionsDocumentName);
    expect(byName(synth.json, 'aws_ecs_task_definition', runtime.taskFamily)).toBeDefined();
    expect(runtime.hostedZoneId).toBe(ref('aws_route53_zone', resources(synth.json, 'aws_route53_zone')[0]!, 'zone_id'));
    expect(runtime.probe).toEqual(config.watchdog.probe);
    expect(runtime.ports).toEqual(config.ports);
    expect(runtime).toMatchObject({
      idleMinutes: config.watchdog.idleMinutes,
      startupMinutes: config.watchdog.startupMinutes,
      maxHours: config.watchdog.maxHours,
      stopAfterMaxHours: config.watchdog.stopAfterMaxHours,
      stopTimeoutSeconds: config.stopTimeoutSeconds,
    });
    // The instance hook's own check accepts it.
    expect(() => checkRuntimeGame(runtime)).not.toThrow();
  });
});

it('carries each game\'s probe as configured', () => {
  expect(runtimeGameOf('gm-mc-watchdog').probe).toEqual({ type: 'query', game: 'minecraft', port: 25565 });
  expect(runtimeGameOf('gm-valheim-watchdog').probe).toEqual({ type: 'connections' });
  expect(runtimeGameOf('gm-terraria-watchdog').probe).toEqual({ type: 'traffic', bytesPerMinute: 50000 });
  expect(runtimeGameOf('gm-valheim-watchdog').fqdn).toBe('vh.eu.example.com');
  expect(runtimeGameOf('gm-mc-watchdog').srvName).toBe('_minecraft._tcp.mc.example.com');
});
