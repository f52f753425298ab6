/**
 * The stacks exactly as `cdktf synth` writes them, built in-process into a
 * temporary folder (no Terraform, no AWS call) and read back as JSON, for the
 * commands that judge what synth makes (`gm cost`, `gm audit`). The worlds
 * lock beside the configuration is read, never written: they change nothing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from './app';
import { checkKeptWorlds, lockPathFor, readLock } from './config/kept-worlds';
import type { Config } from './config/resolve';

export interface SynthesizedStack {
  /** `bootstrap`, `gamemanagement`, `gamemanagement-worlds`. */
  readonly stack: string;
  /** Its `cdk.tf.json`, parsed. */
  readonly json: Record<string, unknown>;
}

/** Every stack of `outdir/stacks`, by name. */
function readStacks(outdir: string): SynthesizedStack[] {
  const stacksDir = join(outdir, 'stacks');
  return readdirSync(stacksDir).sort().map((stack) => ({
    stack,
    json: JSON.parse(readFileSync(join(stacksDir, stack, 'cdk.tf.json'), 'utf8')) as Record<string, unknown>,
  }));
}

/** Synthesizes `config` and reads it back. Synth's warnings are the caller's to report (not printed here). */
export function synthesizedStacks(config: Config, configFile?: string): SynthesizedStack[] {
  const released = configFile ? checkKeptWorlds(config, readLock(lockPathFor(configFile))).released : [];
  const outdir = mkdtempSync(join(tmpdir(), 'gm-synth-'));
  try {
    buildApp(config, outdir, released, configFile, () => undefined).app.synth();
    return readStacks(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
