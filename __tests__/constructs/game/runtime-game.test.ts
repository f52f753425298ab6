/**
 * `GM_GAME`, the runtime contract of each game's functions: each function
 * gets only the fields it reads (src/runtime/game.ts `GAME_FIELDS`), the
 * function's own schema accepts it, and it names the very resources the stack
 * creates for that game.
 */
import { envProblems } from '../../../src/runtime/env';
import { GAME_FIELDS, type RuntimeGame } from '../../../src/runtime/game';
import { THREE_GAMES, byName, ref, resources, synthMain, type SynthResult } from '../control-loop/support/synth';

const GAMES = ['mc', 'valheim', 'terraria'] as const;
const PER_GAME = ['watchdog', 'failsafe', 'instance-hook'] as const;

let synth: SynthResult;
beforeAll(() => {
  synth = synthMain(THREE_GAMES);
});

function variables(name: string): Record<string, string> {
  return (byName(synth.json, 'aws_lambda_function', name).body.environment as { variables: Record<string, string> }).variables;
}

function gameOf(name: string): Partial<RuntimeGame> {
  return JSON.parse(variables(name).GM_GAME!) as Partial<RuntimeGame>;
}

/** Every function's view of one game, merged (they agree where they overlap, see below). */
function runtimeGameOf(game: string): Partial<RuntimeGame> {
  return Object.assign({}, ...PER_GAME.map((entry) => gameOf(`gm-${game}-${entry}`))) as Partial<RuntimeGame>;
}

describe.each(GAMES)('game %s', (game) => {
  it.each(PER_GAME)('%s: gets exactly the fields it reads, and the alerts topic', (entry) => {
    const view = gameOf(`gm-${game}-${entry}`);
    const optional = new Set(['srvName']);
    const expected = (GAME_FIELDS[entry] as readonly string[]).filter((f) => !optional.has(f) || view[f as keyof RuntimeGame] !== undefined);
    expect(Object.keys(view).sort()).toEqual([...expected].sort());
    const topic = ref('aws_sns_topic', byName(synth.json, 'aws_sns_topic', 'gm-alerts'), 'arn');
    expect(variables(`gm-${game}-${entry}`).GM_TOPIC_ARN).toBe(topic);
    expect(Object.keys(variables(`gm-${game}-${entry}`)).sort()).toEqual(['GM_GAME', 'GM_TOPIC_ARN', 'POWERTOOLS_SERVICE_NAME']);
  });

  it.each(PER_GAME)('%s: its environment passes the function\'s own check', (entry) => {
    // References become values of the right shape, as Terraform will write them.
    const env: Record<string, string> = {
      ...variables(`gm-${game}-${entry}`),
      GM_TOPIC_ARN: 'arn:aws:sns:eu-central-1:123456789012:gm-alerts',
    };
    env.GM_GAME = env.GM_GAME!.replace(/\$\{aws_route53_zone\.[^}]+\}/, 'Z0123456789ABCDEFGHIJ');
    expect(envProblems(entry, env)).toEqual([]);
  });

  it('gives its functions the same value wherever their views overlap', () => {
    const views = PER_GAME.map((entry) => gameOf(`gm-${game}-${entry}`));
    const merged = runtimeGameOf(game);
    for (const view of views) {
      for (const [key, value] of Object.entries(view)) expect({ key, value }).toEqual({ key, value: merged[key as keyof RuntimeGame] });
    }
  });

  it('names the game\'s own resources', () => {
    const runtime = runtimeGameOf(game);
    const config = synth.config.games.find((g) => g.id === game)!;
    expect(runtime.id).toBe(game);
    expect(runtime.fqdn).toBe(config.fqdn);
    expect(runtime.asgName).toBe(byName(synth.json, 'aws_autoscaling_group', `gm-${game}`).body.name);
    expect(runtime.clusterName).toBe(byName(synth.json, 'aws_ecs_cluster', `gm-${game}`).body.name);
    expect(runtime.serviceName).toBe(byName(synth.json, 'aws_ecs_service', `gm-${game}`).body.name);
    expect(runtime.watchdogRuleName).toBe(byName(synth.json, 'aws_cloudwatch_event_rule', `gm-${game}-watchdog-schedule`).body.name);
    // The schedule the instance hook switches is the one that runs this game's watchdog.
    const schedule = byName(synth.json, 'aws_cloudwatch_event_rule', runtime.watchdogRuleName!);
    expect(resources(synth.json, 'aws_cloudwatch_event_target').filter((t) => t.body.rule === ref('aws_cloudwatch_event_rule', schedule, 'name')).map((t) => t.body.arn))
      .toEqual([ref('aws_lambda_function', byName(synth.json, 'aws_lambda_function', `gm-${game}-watchdog`), 'arn')]);
    expect(byName(synth.json, 'aws_ssm_parameter', runtime.stateParameterName!).body.name).toBe(runtime.stateParameterName);
    expect(byName(synth.json, 'aws_ssm_document', runtime.connectionsDocumentName!).body.name).toBe(runtime.connectionsDocumentName);
    expect(byName(synth.json, 'aws_ecs_task_definition', runtime.taskFamily!)).toBeDefined();
    expect(runtime.hostedZoneId).toBe(ref('aws_route53_zone', resources(synth.json, 'aws_route53_zone')[0]!, 'zone_id'));
    expect(runtime.probe).toEqual(config.watchdog.probe);
    expect(runtime.ports).toEqual(config.ports);
    expect(runtime).toMatchObject({
      idleMinutes: config.watchdog.idleMinutes,
      startupMinutes: config.watchdog.startupMinutes,
      maxHours: config.watchdog.maxHours,
      stopAfterMaxHours: config.watchdog.stopAfterMaxHours,
      stopTimeoutSeconds: config.stopTimeoutSeconds,
      spot: config.spot,
    });
  });

  it('names its session and pending-wake parameters, which Terraform does not manage', () => {
    const runtime = runtimeGameOf(game);
    expect(runtime.sessionParameterName).toBe(`/gm/${game}/session`);
    expect(gameOf(`gm-${game}-instance-hook`).pendingWakeParameterName).toBe(`/gm/${game}/pending-wake`);
    const managed = resources(synth.json, 'aws_ssm_parameter').map((p) => p.body.name);
    expect(managed).not.toContain(runtime.sessionParameterName);
    expect(managed).not.toContain(`/gm/${game}/pending-wake`);
  });
});

it('carries each game\'s probe as configured', () => {
  expect(gameOf('gm-mc-watchdog').probe).toEqual({ type: 'query', game: 'minecraft', port: 25565 });
  expect(gameOf('gm-valheim-watchdog').probe).toEqual({ type: 'connections' });
  expect(gameOf('gm-terraria-watchdog').probe).toEqual({ type: 'traffic', bytesPerMinute: 50000 });
  expect(gameOf('gm-valheim-watchdog').fqdn).toBe('vh.eu.example.com');
  expect(gameOf('gm-terraria-instance-hook').spot).toBe(true);
  expect(gameOf('gm-mc-instance-hook').spot).toBe(false);
});
