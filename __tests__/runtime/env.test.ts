import { checkedEnvironment, envProblems, gameFunctionEnvironment, LAMBDA_ENV_LIMIT_BYTES } from '../../src/runtime/env';
import { GAME_FIELDS, gameView } from '../../src/runtime/game';
import { GAME as game, TOPIC_ARN as TOPIC } from '../support/game';

describe('each function gets only the game fields it reads', () => {
  it.each(Object.keys(GAME_FIELDS) as (keyof typeof GAME_FIELDS)[])('%s', (fn) => {
    const env = gameFunctionEnvironment(fn, game, TOPIC);
    const sent = JSON.parse(env.GM_GAME!) as Record<string, unknown>;
    expect(Object.keys(sent).sort()).toEqual([...GAME_FIELDS[fn]].filter((k) => game[k] !== undefined).sort());
    expect(envProblems(fn, env)).toEqual([]);
  });

  it('the failsafe does not get the ports or the probe', () => {
    expect(gameView('failsafe', game)).not.toHaveProperty('ports');
    expect(gameView('failsafe', game)).not.toHaveProperty('probe');
  });
});

describe('environment problems name the variable', () => {
  it('a missing variable', () => {
    expect(envProblems('instance-hook', { GM_TOPIC_ARN: TOPIC })).toEqual(['GM_GAME is not set']);
  });

  it('a variable that is not JSON', () => {
    expect(envProblems('watchdog', { GM_GAME: '{nope', GM_TOPIC_ARN: TOPIC })[0]).toMatch(/^GM_GAME: /);
  });

  it('a field missing inside GM_GAME names the field', () => {
    const { asgName: _gone, ...rest } = gameView('instance-hook', game);
    expect(envProblems('instance-hook', { GM_GAME: JSON.stringify(rest), GM_TOPIC_ARN: TOPIC })).toEqual([
      expect.stringMatching(/^GM_GAME \(asgName\): /),
    ]);
  });

  it('every problem at once', () => {
    expect(envProblems('waker', {})).toEqual(['GM_GAME_REGION is not set', 'GM_TOPIC_ARN is not set']);
  });
});

describe('synth refuses an environment past Lambda\'s 4 KB', () => {
  it('a game with very many ports names the limit and the fix', () => {
    const ports = Array.from({ length: 300 }, (_, i) => ({ port: 20000 + i, protocol: 'udp' as const }));
    expect(() => gameFunctionEnvironment('watchdog', { ...game, ports }, TOPIC)).toThrow(
      new RegExp(`watchdog function of game mc needs \\d+ bytes of environment, past Lambda's limit of ${LAMBDA_ENV_LIMIT_BYTES}; list fewer ports`),
    );
    // The hook does not read the ports, so the same game fits its environment.
    expect(() => gameFunctionEnvironment('instance-hook', { ...game, ports }, TOPIC)).not.toThrow();
  });

  it('a Terraform reference stands in for a value it cannot check', () => {
    expect(() => checkedEnvironment('waker', { GM_GAME_REGION: 'eu-west-1', GM_TOPIC_ARN: '${aws_sns_topic.alerts.arn}' }, 'zone example.com')).not.toThrow();
    expect(() => checkedEnvironment('waker', { GM_GAME_REGION: '', GM_TOPIC_ARN: TOPIC }, 'zone example.com')).toThrow(/GM_GAME_REGION/);
  });
});
