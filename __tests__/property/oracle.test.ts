/**
 * The rules the properties judge by, on hand-made outcomes: each rule must be
 * able to fail, or the properties prove nothing.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-error';
import { applyMutations, applyTextMutations } from './support/mutations';
import { droppedKeys, load, namesEditedField, templateStarts, userTemplates, violations, type Outcome } from './support/oracle';
import { knownIssue } from './support/known-issues';

const configError = (problems: { path: string; message: string }[], outdir?: string): Outcome =>
  ({ kind: 'config-error', stage: 'load', error: new ConfigError('x.yaml', problems), outdir });

describe('Terraform template scan', () => {
  it('finds unescaped ${ and %{ and skips their escapes', () => {
    expect(templateStarts('a ${path.cwd} b').map((t) => t.body)).toEqual(['path.cwd} b']);
    expect(templateStarts('$${path.cwd} %%{ if x }')).toEqual([]);
    expect(templateStarts('%{ if true }x%{ endif }').map((t) => t.sigil)).toEqual(['%', '%']);
    // `$$${x}` is a literal `$` then the escape `$${`: nothing evaluated.
    expect(templateStarts('$$${x}')).toEqual([]);
  });

  it('allows the references synth writes and flags user text, keys included', () => {
    expect(userTemplates({ a: '${aws_iam_role.r.arn}', b: ['${data.terraform_remote_state.w.outputs.x}'], c: '${terraform.workspace}' })).toEqual([]);
    expect(userTemplates({ a: 'x${path.cwd}' })).toEqual(['.a: ${path.cwd}']);
    expect(userTemplates({ tags: { '${path.cwd}': 'v' } })).toEqual(['.tags.${path.cwd} (key): ${path.cwd}']);
    expect(userTemplates({ a: '${aws_gmhostile.x.id}' })).toHaveLength(1);
    expect(userTemplates({ a: 'pass%{' })).toHaveLength(1);
    expect(userTemplates({ a: 'pass%%{ $${path.cwd}' })).toEqual([]);
  });
});

describe('violations', () => {
  it('accepts a ConfigError whose problems name a field and say something, with nothing written', () => {
    expect(violations(configError([{ path: 'games.mc.image', message: 'expected a container image' }]))).toEqual([]);
  });

  it('flags any exception that is not a ConfigError, with its stack', () => {
    const found = violations({ kind: 'crash', stage: 'build', error: new TypeError('x is undefined') });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^crash at build: TypeError: x is undefined\n\s+at /);
  });

  it('flags blank paths and messages, stack traces, unprinted objects and the same problem twice', () => {
    expect(violations(configError([]))).toEqual(['ConfigError with no problems']);
    expect(violations(configError([{ path: '', message: 'm' }]))[0]).toMatch(/without a field path/);
    expect(violations(configError([{ path: 'a', message: ' ' }]))[0]).toMatch(/without a message/);
    expect(violations(configError([{ path: 'a', message: 'boom\n    at Object.<anonymous> (x.ts:1:2)' }]))[0]).toMatch(/stack trace/);
    expect(violations(configError([{ path: 'a', message: '[object Object] is wrong' }]))[0]).toMatch(/unprinted object/);
    expect(violations(configError([{ path: 'a', message: 'm' }, { path: 'a', message: 'm' }]))).toEqual(['problem reported twice: a: m']);
    expect(violations(configError([{ path: 'a', message: 'found 1; Too big: expected string to have <=200 characters' }]))[0]).toMatch(/validator wording/);
    expect(violations(configError([{ path: 'games', message: 'found []; expected record' }]))[0]).toMatch(/validator wording/);
    expect(violations(configError([{ path: 'a', message: 'expected a string, number or boolean' }]))).toEqual([]);
    expect(violations(configError([{ path: 'env.a\nb', message: 'm' }]))[0]).toMatch(/line break in a field path/);
  });

  it('flags output left behind by a failed synth, and a success that wrote no stacks', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'gm-oracle-')), 'cdktf.out');
    mkdirSync(join(outdir, 'stacks', 'bootstrap'), { recursive: true });
    writeFileSync(join(outdir, 'stacks', 'bootstrap', 'cdk.tf.json'), '{"resource":{"x":{"y":{"name":"${path.cwd}"}}}}');
    expect(violations(configError([{ path: 'a', message: 'm' }], outdir))).toEqual(['partial output after a ConfigError: stacks/bootstrap/cdk.tf.json']);
    const found = violations({ kind: 'synth', config: {} as never, outdir });
    expect(found).toContain('synth succeeded but stacks/gamemanagement/cdk.tf.json is missing');
    expect(found).toContain('unescaped user template in bootstrap.resource.x.y.name: ${path.cwd}');
  });
});

describe('load', () => {
  it('turns a warning the parser would print into a violation instead of letting it reach the terminal', () => {
    // The loader itself no longer warns (a collection key is a ConfigError now): a variable read during load warns instead.
    const text = 'region: ${GM_X}\n';
    const env = { get GM_X() { process.emitWarning('Keys with collection values will be stringified (stand-in)'); return 'eu-west-1'; } };
    const printed = jest.spyOn(process, 'emitWarning');
    const outcome = load(text, env as unknown as NodeJS.ProcessEnv);
    expect(printed).not.toHaveBeenCalled();
    printed.mockRestore();
    expect(violations(outcome)[0]).toMatch(/^crash at load: Error: the loader printed a warning: Keys with collection values/);
  });
});

describe('document checks', () => {
  it('flags a game, environment variable or tag the config lost', () => {
    const config = { games: [{ id: 'mc', environment: { A: '1' } }], tags: {} } as never;
    const document = { games: { mc: { environment: { A: '1', B: '2' } }, other: {} }, tags: { owner: 'me' } };
    expect(droppedKeys(document, { kind: 'synth', config })).toEqual([
      'games.mc.environment.B silently dropped', 'games.other silently dropped', 'tags.owner silently dropped',
    ]);
  });

  it('wants a problem in the edited game, not only elsewhere', () => {
    const outcome = configError([{ path: 'games.other.image', message: 'm' }]);
    expect(namesEditedField(outcome, [['games', 'mc', 'ports', 0, 'port']])).toHaveLength(1);
    expect(namesEditedField(configError([{ path: 'games.mc.srv.port', message: 'm' }]), [['games', 'mc', 'ports', 0, 'port']])).toEqual([]);
    expect(namesEditedField(outcome, [['region']])).toEqual([]);
  });

  it('known issues match only their own failures', () => {
    expect(knownIssue({ violation: 'problem reported twice: games.mc.watchdog.idleMinutes: found 1e+308; expected a whole number', text: '' })).toBeUndefined();
    expect(knownIssue({ violation: 'crash at load: TypeError: boom', text: '' })).toBeUndefined();
    expect(knownIssue({ violation: 'problem reported twice: games.mc.image: expected a container image', text: '' })).toBeUndefined();
    expect(knownIssue({ violation: 'unescaped user template in gamemanagement.x: ${path.cwd}', text: '' })).toBeUndefined();
  });
});

describe('mutations', () => {
  it('edit the field they name, and keep __proto__ as a key', () => {
    const doc: Record<string, unknown> = { games: { mc: { image: 'x', ports: [{ port: 1 }] } } };
    const applied = applyMutations(doc, [{ kind: 'renameKey', at: 0, key: '__proto__' }]);
    expect(applied.steps).toEqual(['rename games to "__proto__"']);
    expect(Object.keys(doc)).toEqual(['__proto__']);
    const doc2: Record<string, unknown> = { games: { mc: { image: 'x' } } };
    applyMutations(doc2, [{ kind: 'freeText', target: 'environment value', key: 'PASS', value: '${path.cwd}' }]);
    expect(doc2).toEqual({ games: { mc: { image: 'x', environment: { PASS: '${path.cwd}' } } } });
    expect(applyTextMutations('a: 1\nb: 2', [{ kind: 'duplicateLine', at: 1 }]).text).toBe('a: 1\nb: 2\nb: 2');
  });
});
