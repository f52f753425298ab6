/**
 * `npm run validate`: what a reviewer runs on the synthesized output,
 * offline — `terraform init` (providers from the local mirror, no backend)
 * and `terraform validate` of every stack in `cdktf.out/stacks` (or the
 * stacks folder given as the first argument). Each stack is copied to a
 * temporary folder first, so `cdktf.out` is left as synth wrote it.
 * Exit 0 when every stack is valid; 1 with Terraform's errors otherwise.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findProviderMirror, runTerraform, terraformIsRecentEnough, terraformVersion, TERRAFORM_MIN_VERSION, writeMirrorCliConfig } from './offline';

export interface StackValidation {
  readonly stack: string;
  readonly valid: boolean;
  /** Terraform's errors (and warnings), as it prints them. */
  readonly output: string;
}

/** Runs `terraform init -backend=false` and `terraform validate` on a copy of each stack of `stacksDir`. */
export function validateStacks(stacksDir: string, log: (line: string) => void = () => {}): StackValidation[] {
  if (!existsSync(stacksDir)) throw new Error(`${stacksDir} does not exist: run \`npm run synth\` first`);
  const version = terraformVersion();
  if (!terraformIsRecentEnough(version)) throw new Error(`Terraform ${version} is too old: install Terraform ${TERRAFORM_MIN_VERSION} or newer`);
  const mirror = findProviderMirror();
  const stacks = readdirSync(stacksDir, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(stacksDir, d.name, 'cdk.tf.json'))).map((d) => d.name).sort();
  if (stacks.length === 0) throw new Error(`${stacksDir} holds no synthesized stack: run \`npm run synth\` first`);
  const results: StackValidation[] = [];
  for (const stack of stacks) {
    const dir = mkdtempSync(join(tmpdir(), `gm-validate-${stack}-`));
    try {
      cpSync(join(stacksDir, stack), dir, { recursive: true, filter: (src) => !/[/\\]\.terraform([/\\]|$)/.test(src) && !src.endsWith('.terraform.lock.hcl') });
      const cliConfig = writeMirrorCliConfig(dir, mirror);
      log(`${stack}: terraform init -backend=false && terraform validate`);
      runTerraform(dir, cliConfig, ['init', '-backend=false', '-input=false', '-no-color']);
      try {
        results.push({ stack, valid: true, output: runTerraform(dir, cliConfig, ['validate', '-no-color']).trim() });
      } catch (e) {
        results.push({ stack, valid: false, output: (e as Error).message.trim() });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

function main(): void {
  const stacksDir = resolve(process.argv[2] ?? join(process.env.CDKTF_OUTDIR ?? 'cdktf.out', 'stacks'));
  try {
    const results = validateStacks(stacksDir, (line) => console.log(line));
    for (const r of results) console.log(`${r.stack}: ${r.valid ? 'valid' : 'INVALID'}${r.valid ? '' : `\n${r.output}`}`);
    process.exitCode = results.every((r) => r.valid) ? 0 : 1;
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  }
}

if (require.main === module) main();
