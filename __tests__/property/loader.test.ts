/**
 * Random edits of the shipped configurations through the loader
 * (`parseConfigText`, and `loadConfig` for bytes): each ends in a config or in
 * a ConfigError whose every problem names a field and says something, once;
 * never another exception. Synth of what loads is in `synth.test.ts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadConfig } from '../../src/config/load';
import { applyMutations, applyTextMutations, hostileString, mutation, textMutation, toYaml } from './support/mutations';
import { droppedKeys, load, namesEditedField, problemLines, violations, type Outcome } from './support/oracle';
import { seedDocument, seeds } from './support/seeds';
import { expectClean, parameters } from './support/settings';
import { unknownFailures } from './support/known-issues';
import { ConfigError } from '../../src/config/config-error';

const SEEDS = seeds();
const seedIndex = fc.nat({ max: SEEDS.length - 1 });
const environment = hostileString.map((hostile) => ({ GM_HOSTILE: hostile, MC_PORT: '25565', GM_EMPTY: '' }));

describe('loader properties', () => {
  it('every shipped configuration loads as it is', () => {
    for (const seed of SEEDS) expect({ seed: seed.name, outcome: load(seed.text, {}).kind, problems: problemLines(load(seed.text, {})) }).toEqual({ seed: seed.name, outcome: 'synth', problems: [] });
  });

  it('edited documents load, or fail with problems that name the edited field, once; nothing is dropped silently', () => {
    fc.assert(fc.property(seedIndex, fc.array(mutation, { minLength: 1, maxLength: 3 }), environment, (seed, mutations, env) => {
      const doc = seedDocument(SEEDS[seed]!);
      const applied = applyMutations(doc, mutations);
      const text = toYaml(doc);
      const outcome = load(text, env);
      const found = [...violations(outcome), ...droppedKeys(doc, outcome), ...namesEditedField(outcome, applied.touched)];
      expectClean(unknownFailures(found, text), [`${SEEDS[seed]!.name}:`, ...applied.steps, `GM_HOSTILE=${JSON.stringify(env.GM_HOSTILE)}`], text);
    }), parameters(200));
  });

  it('edited YAML text (duplicate, missing or mis-indented lines, stray characters, alias bombs) fails cleanly or loads', () => {
    fc.assert(fc.property(seedIndex, fc.array(mutation, { maxLength: 1 }), fc.array(textMutation, { minLength: 1, maxLength: 2 }), environment, (seed, mutations, textMutations, env) => {
      const doc = seedDocument(SEEDS[seed]!);
      const applied = applyMutations(doc, mutations);
      const edited = applyTextMutations(toYaml(doc), textMutations);
      const outcome = load(edited.text, env);
      expectClean(unknownFailures(violations(outcome), edited.text), [`${SEEDS[seed]!.name}:`, ...applied.steps, ...edited.steps], edited.text);
    }), parameters(150));
  });

  it('a number or boolean read from the environment means what it means written in the file', () => {
    // (seed, which number/boolean field): `port: ${GM_VALUE}` with GM_VALUE=25565 is `port: 25565`.
    fc.assert(fc.property(seedIndex, fc.nat({ max: 1000 }), (seed, pick) => {
      const written = seedDocument(SEEDS[seed]!);
      const leaves: { path: (string | number)[]; value: number | boolean }[] = [];
      const walk = (node: unknown, path: (string | number)[]) => {
        if (typeof node === 'number' || typeof node === 'boolean') leaves.push({ path, value: node });
        else if (Array.isArray(node)) node.forEach((v, i) => walk(v, [...path, i]));
        else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
      };
      walk(written, []);
      fc.pre(leaves.length > 0);
      const leaf = leaves[pick % leaves.length]!;
      const fromEnv = seedDocument(SEEDS[seed]!);
      let parent = fromEnv as Record<string | number, unknown>;
      for (const key of leaf.path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
      parent[leaf.path[leaf.path.length - 1]!] = '${GM_VALUE}';
      const expected = load(toYaml(written), {});
      const actual = load(toYaml(fromEnv), { GM_VALUE: String(leaf.value) });
      const describe = (o: Outcome) => (o.kind === 'synth' ? o.config : problemLines(o));
      const failures = JSON.stringify(describe(actual)) === JSON.stringify(describe(expected)) ? []
        : [`environment value typed differently from the written one at ${leaf.path.join('.')}=${String(leaf.value)}: ${JSON.stringify(describe(actual)).slice(0, 300)}`];
      expectClean(unknownFailures(failures, toYaml(fromEnv)), [`${SEEDS[seed]!.name}: ${leaf.path.join('.')}: \${GM_VALUE} with GM_VALUE=${String(leaf.value)}`], toYaml(fromEnv));
    }), parameters(40));
  });

  it('a byte that is not UTF-8 is a ConfigError naming its line, never a silent replacement', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-property-bytes-'));
    fc.assert(fc.property(seedIndex, fc.nat({ max: 100_000 }), fc.integer({ min: 0x80, max: 0xff }), (seed, at, byte) => {
      const bytes = Buffer.from(SEEDS[seed]!.text, 'utf8');
      const i = at % bytes.length;
      const edited = Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
      const file = join(dir, 'gamemanagement.yaml');
      writeFileSync(file, edited);
      const line = bytes.subarray(0, i).toString('utf8').split('\n').length;
      let outcome: Outcome;
      try {
        outcome = { kind: 'synth', config: loadConfig(file, {}) };
      } catch (error) {
        outcome = error instanceof ConfigError ? { kind: 'config-error', stage: 'load', error } : { kind: 'crash', stage: 'load', error };
      }
      const failures = [...violations(outcome)];
      if (outcome.kind === 'synth' || !problemLines(outcome).some((p) => p.includes(`line ${line}`))) {
        failures.push(`byte 0x${byte.toString(16)} on line ${line} not reported at that line: ${outcome.kind === 'synth' ? 'loaded' : problemLines(outcome).join(' | ')}`);
      }
      expectClean(unknownFailures(failures, ''), [`${SEEDS[seed]!.name}: insert byte 0x${byte.toString(16)} at offset ${i} (line ${line})`], edited.toString('latin1').slice(0, 200));
    }), parameters(30));
    rmSync(dir, { recursive: true, force: true });
  });
});
