/**
 * `npm run validate`'s part after synth: `terraform init` (mirror, no
 * backend) and `terraform validate` of every synthesized stack, offline, on
 * copies — as a reviewer would run it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateStacks } from '../../src/cli/terraform/validate';
import { loadConfig } from '../../src/config/load';
import { progress, ROOT, synthStacks } from '../support/plan-suite';

let stacksDir: string;
beforeAll(() => {
  stacksDir = synthStacks(loadConfig(join(ROOT, 'gamemanagement.yaml'), {}));
});

it('validates every stack of the output folder it is given and leaves that folder as synth wrote it', () => {
  // Two of the three stacks: each costs one init and one validate, and the plan suites validate all of them.
  const output = mkdtempSync(join(tmpdir(), 'gm-validate-ok-'));
  for (const stack of ['bootstrap', 'gamemanagement-worlds']) cpSync(join(stacksDir, stack), join(output, stack), { recursive: true });
  progress('npm run validate\'s validation of gamemanagement.yaml\'s bootstrap and worlds stacks');
  const before = readdirSync(join(output, 'gamemanagement-worlds')).sort();
  const result = spawnSync('npx', ['tsx', join(ROOT, 'src/cli/terraform/validate.ts'), output], { cwd: ROOT, encoding: 'utf8' });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  expect(result.stdout).toContain('bootstrap: valid');
  expect(result.stdout).toContain('gamemanagement-worlds: valid');
  expect(readdirSync(join(output, 'gamemanagement-worlds')).sort()).toEqual(before);
});

it('reports a stack Terraform refuses, with Terraform\'s reason', () => {
  const broken = mkdtempSync(join(tmpdir(), 'gm-validate-broken-'));
  cpSync(join(stacksDir, 'bootstrap'), join(broken, 'bootstrap'), { recursive: true });
  const file = join(broken, 'bootstrap', 'cdk.tf.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as { resource: Record<string, Record<string, Record<string, unknown>>> };
  const [bucket] = Object.values(json.resource.aws_s3_bucket!);
  bucket!.no_such_argument = true;
  writeFileSync(file, JSON.stringify(json));
  const [result] = validateStacks(broken);
  expect(result).toEqual({ stack: 'bootstrap', valid: false, output: expect.stringContaining('no_such_argument') });
});

it('says to synthesize first when there is nothing to validate', () => {
  expect(() => validateStacks(join(tmpdir(), 'gm-no-such-output'))).toThrow(/npm run synth/);
});
