/**
 * The call finder behind the least-privilege tests: calls made through a
 * shared module count, code of a shared module the function does not use does
 * not, and a command imported under another name is still that command.
 */
import { join } from 'node:path';
import { environmentsRead, reachableCode, requiredEnvNames, sdkCalls } from './support/lambda-sources';

const FIXTURES = join(__dirname, 'fixtures', 'lambdas');

describe('a function that reads state through src/lambdas/shared/parameters.ts', () => {
  it('calls GetParameter there, and Publish (imported as another name) in its own file', () => {
    const calls = sdkCalls('reads-state', FIXTURES);
    expect(calls.map((c) => [c.command, c.iamAction]).sort()).toEqual([
      ['GetParameterCommand', 'ssm:GetParameter'],
      ['PublishCommand', 'sns:Publish'],
    ]);
    expect(calls.find((c) => c.command === 'GetParameterCommand')!.file).toBe('src/lambdas/shared/parameters.ts');
    expect(calls.find((c) => c.command === 'PublishCommand')!.file).toMatch(/fixtures\/lambdas\/reads-state\/handler\.ts$/);
  });

  it('does not count the put and delete that share the module but are never reached', () => {
    const { text, files } = reachableCode('reads-state', FIXTURES);
    expect(files).toContain('src/lambdas/shared/parameters.ts');
    expect(text).not.toMatch(/new\s+(PutParameterCommand|DeleteParameterCommand)\b/);
  });

  it('needs the variables of the environment it reads, from the runtime contract', () => {
    expect(environmentsRead('reads-state', FIXTURES)).toEqual(['watchdog']);
    expect([...requiredEnvNames('reads-state', FIXTURES)].sort()).toEqual(['GM_GAME', 'GM_TOPIC_ARN']);
  });
});
