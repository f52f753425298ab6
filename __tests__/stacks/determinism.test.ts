import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleYaml } from '../constructs/support/fixtures';
import { synthYaml } from '../constructs/support/synth';

function stackFiles(outdir: string): Map<string, string> {
  const stacksDir = join(outdir, 'stacks');
  return new Map(readdirSync(stacksDir).sort().map((stack) => [stack, readFileSync(join(stacksDir, stack, 'cdk.tf.json'), 'utf8')]));
}

describe('determinism', () => {
  it('synthesizes the shipped example twice, into two folders, byte for byte the same', () => {
    const first = synthYaml(exampleYaml());
    const second = synthYaml(exampleYaml());
    expect(first.outdir).not.toBe(second.outdir);
    const a = stackFiles(first.outdir);
    const b = stackFiles(second.outdir);
    expect([...a.keys()]).toEqual(['bootstrap', 'gamemanagement', 'gamemanagement-worlds']);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [stack, text] of a) {
      expect(text).toContain(`"resource"`);
      // Compared as text, not parsed JSON: key order and formatting show up in reviews of the JSON too.
      expect(`${stack}:\n${b.get(stack)}`).toBe(`${stack}:\n${text}`);
    }
  });
});
