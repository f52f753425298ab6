/**
 * The valid configurations every mutation starts from: the shipped
 * `gamemanagement.yaml` and each `examples/*.yaml`, as parsed documents.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..', '..');

export interface Seed {
  /** Relative to the project: `gamemanagement.yaml`, `examples/valheim.yaml`. */
  readonly name: string;
  readonly text: string;
}

export function seeds(): Seed[] {
  const files = ['gamemanagement.yaml', ...readdirSync(join(ROOT, 'examples')).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => `examples/${f}`)];
  return files.map((name) => ({ name, text: readFileSync(join(ROOT, name), 'utf8') }));
}

/** A fresh copy of a seed's document (mutations change it in place). */
export function seedDocument(seed: Seed): Record<string, unknown> {
  return parse(seed.text) as Record<string, unknown>;
}
