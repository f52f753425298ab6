/** The shipped configurations, each synthesized once per test file, as the audit reads them. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { auditContext, type AuditContext } from '../../../src/audit';
import type { AuditStack } from '../../../src/audit/model';
import { synthesizeForAudit } from '../../../src/audit/read-synth';
import { loadConfig } from '../../../src/config/load';
import type { Config } from '../../../src/config/resolve';

export const ROOT = join(__dirname, '..', '..', '..');

/** gamemanagement.yaml and every examples/*.yaml, relative to the repository. */
export const EXAMPLES: readonly string[] = [
  'gamemanagement.yaml',
  ...readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `examples/${f}`),
];

export interface SynthesizedExample {
  readonly config: Config;
  readonly stacks: readonly AuditStack[];
  readonly context: AuditContext;
}

const cache = new Map<string, SynthesizedExample>();

/** `${VAR:-default}` takes its default: the examples as they ship, whatever the shell has set. */
export function synthesizedExample(file: string): SynthesizedExample {
  const known = cache.get(file);
  if (known) return known;
  const config = loadConfig(join(ROOT, file), {});
  const stacks = synthesizeForAudit(config);
  const example = { config, stacks, context: auditContext(config, stacks) };
  cache.set(file, example);
  return example;
}

/** A deep copy of the stacks, so a test can break one without touching the others. */
export function copyStacks(stacks: readonly AuditStack[]): AuditStack[] {
  return JSON.parse(JSON.stringify(stacks)) as AuditStack[];
}
