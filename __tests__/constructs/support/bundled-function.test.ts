/**
 * What BundledFunction refuses before anything is built: an environment past
 * Lambda's 4 KB and a role policy past IAM's 10,240 characters, each with a
 * sentence that names the function and the limit. And how it counts.
 */
import { App, Fn, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { BundledFunction, environmentBytes } from '../../../src/constructs/support/bundled-function';
import { policySizeEstimate, ROLE_INLINE_POLICY_LIMIT_CHARS, TOKEN_CHARS_BOUND, type Statement } from '../../../src/constructs/support/iam-document';

function stack(): TerraformStack {
  const s = new TerraformStack(new App(), 'test');
  new AwsProvider(s, 'aws', { region: 'eu-west-1' });
  return s;
}

describe('a function whose role would need more than IAM allows', () => {
  it('fails with a sentence naming the function, the size and the limit', () => {
    // One statement per game, as the waker once had: 120 groups by ARN.
    const statements: Statement[] = Array.from({ length: 120 }, (_, i) => ({
      Sid: `StartGame${i}`, Effect: 'Allow', Action: 'autoscaling:SetDesiredCapacity', Resource: `arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:*:autoScalingGroupName/gm-game-${i}`,
    }));
    expect(() => new BundledFunction(stack(), 'fn', { entry: 'waker', functionName: 'gm-waker', description: 'x', statements }))
      .toThrow(/^the role of function gm-waker would need a policy of up to \d+ characters, past IAM's limit of 10240 characters of inline policy per role; grant by name pattern/);
  });
});

describe('a function whose environment is past 4 KB', () => {
  it('fails with a sentence naming the function, the size and the limit', () => {
    const environment = { GM_GAME: 'x'.repeat(4096) };
    expect(() => new BundledFunction(stack(), 'fn', { entry: 'watchdog', functionName: 'gm-mc-watchdog', description: 'x', environment }))
      .toThrow("function gm-mc-watchdog needs 4134 bytes of environment, past Lambda's limit of 4096 bytes");
  });
});

describe('sizes', () => {
  it('count an environment in bytes of keys and values, as Lambda does', () => {
    expect(environmentBytes({ A: 'é', BC: 'x' })).toBe(1 + 2 + 2 + 1);
  });

  it('count a policy without whitespace, each unresolved reference as the longest ARN it can be', () => {
    const literal: Statement = { Effect: 'Allow', Action: 'sns:Publish', Resource: 'arn:aws:sns:eu-west-1:123456789012:gm-alerts' };
    const literalSize = JSON.stringify({ Version: '2012-10-17', Statement: [literal] }).length;
    expect(policySizeEstimate([literal])).toBe(literalSize);
    // A reference to another resource, as constructs write it before synth.
    const withToken: Statement = { ...literal, Resource: Fn.lower('arn:aws:sns:eu-west-1:123456789012:GM-ALERTS') };
    expect(withToken.Resource).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
    expect(policySizeEstimate([withToken])).toBe(JSON.stringify({ Version: '2012-10-17', Statement: [{ ...literal, Resource: '' }] }).length + TOKEN_CHARS_BOUND);
    expect(ROLE_INLINE_POLICY_LIMIT_CHARS).toBe(10_240);
  });
});
