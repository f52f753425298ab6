/**
 * Random edits of the shipped configurations through the whole synth
 * (`parseConfigText` → `buildApp` → `app.synth()` into a fresh folder): each
 * ends EITHER in every stack written, with every user `${` and `%{` escaped
 * so Terraform passes it on as written, OR in a ConfigError naming a field
 * with nothing written. Never another exception, never a partial cdktf.out.
 * Hostile text goes mostly where free text is allowed (environment, tags,
 * descriptions, image, volume paths, e-mails), since that is what reaches
 * the JSON.
 */
import fc from 'fast-check';
import { applyMutations, freeTextMutation, hostileString, mutation, templateMutation, toYaml, type Mutation } from './support/mutations';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, droppedKeys, synth, userTemplates, violations } from './support/oracle';
import { seedDocument, seeds } from './support/seeds';
import { expectClean, parameters } from './support/settings';
import { unknownFailures } from './support/known-issues';

const SEEDS = seeds();

describe('synth properties', () => {
  it('the shipped configuration synthesizes as it is, every stack clean', () => {
    const outcome = synth(SEEDS[0]!.text, {});
    try {
      expect(violations(outcome)).toEqual([]);
      expect(outcome.kind).toBe('synth');
    } finally {
      cleanUp(outcome);
    }
  });

  it('the escaping check bites on real output: escaped user text passes, the same text unescaped is flagged', () => {
    const doc = seedDocument(SEEDS[0]!);
    applyMutations(doc, [{ kind: 'freeText', target: 'environment value', key: 'GM_TEXT', value: 'x${path.cwd}%{ if true }gmhostile%{ endif }' }]);
    const outcome = synth(toYaml(doc), {});
    try {
      expect(violations(outcome)).toEqual([]);
      const text = readFileSync(join(outcome.outdir!, 'stacks', 'gamemanagement', 'cdk.tf.json'), 'utf8');
      expect(text).toContain('x$${path.cwd}%%{ if true }gmhostile%%{ endif }');
      const unescaped = JSON.parse(text.split('x$${path.cwd}%%{ if true }gmhostile%%{ endif }').join('x${path.cwd}%{ if true }gmhostile%{ endif }'));
      const flagged = userTemplates(unescaped).map((f) => f.replace(/^[^:]*: /, ''));
      expect(flagged.filter((f) => f.startsWith('${path.cwd}'))).toHaveLength(1);
      expect(flagged.filter((f) => f.startsWith('%{ if true }gmhostile'))).toHaveLength(1);
      expect(flagged.filter((f) => f.startsWith('%{ endif }'))).toHaveLength(1);
    } finally {
      cleanUp(outcome);
    }
  });

  const environment = hostileString.map((hostile) => ({ GM_HOSTILE: hostile, MC_PORT: '25565', GM_EMPTY: '' }));

  function property(edits: fc.Arbitrary<Mutation[]>, runs: number): void {
    fc.assert(fc.property(fc.nat({ max: SEEDS.length - 1 }), edits, environment, (seed, mutations, env) => {
      const doc = seedDocument(SEEDS[seed]!);
      const applied = applyMutations(doc, mutations);
      const text = toYaml(doc);
      const outcome = synth(text, env);
      try {
        const found = [...violations(outcome), ...droppedKeys(doc, outcome)];
        expectClean(unknownFailures(found, text), [`${SEEDS[seed]!.name}:`, ...applied.steps, `GM_HOSTILE=${JSON.stringify(env.GM_HOSTILE)}`], text);
      } finally {
        cleanUp(outcome);
      }
    }), parameters(runs));
  }

  it('template text (${path.cwd}, %{, $${…}) in environment values, descriptions and tags reaches cdk.tf.json escaped', () => {
    property(fc.array(templateMutation, { minLength: 1, maxLength: 2 }), 20);
  });

  it('hostile text in any free-text field synthesizes cleanly or is a ConfigError with nothing written', () => {
    property(fc.array(freeTextMutation, { minLength: 1, maxLength: 2 }), 20);
  });

  it('any edit (dropped, duplicated, retyped, renamed, swapped, hostile values) synthesizes cleanly or is a ConfigError with nothing written', () => {
    property(fc.array(mutation, { minLength: 1, maxLength: 2 }), 30);
  });
});
