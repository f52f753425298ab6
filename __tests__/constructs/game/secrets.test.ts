/**
 * `secrets`: the container gets them from SSM Parameter Store or Secrets
 * Manager at start; the synthesized JSON holds only their ARNs, and the task
 * execution role may read exactly those. Plain environment values that look
 * like passwords warn. `terraform validate` + `plan` of an example with
 * secrets: __tests__/terraform/valheim.plan.test.ts.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildApp } from '../../../src/app';
import { ConfigError } from '../../../src/config/config-error';
import { parseConfigText } from '../../../src/config/load';
import { plainSecretWarnings } from '../../../src/constructs/game/task-secrets';
import { configDocument, minecraft, spotNoVolumes } from '../support/fixtures';
import { containerDefinitions, only, ref, resources, synthYaml, type Body, type SynthesizedApp } from '../support/synth';

const ROOT = join(__dirname, '..', '..', '..');

function quietly<T>(run: () => T): { result: T; stderr: string } {
  const lines: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => { lines.push(String(chunk)); return true; }) as typeof process.stderr.write;
  try {
    return { result: run(), stderr: lines.join('') };
  } finally {
    process.stderr.write = original;
  }
}

describe('a game with secrets', () => {
  let synth: SynthesizedApp;
  beforeAll(() => {
    synth = synthYaml(stringify(configDocument({
      mc: {
        ...minecraft(),
        secrets: {
          RCON_PASSWORD: { ssmParameter: '/gm/mc/rcon' },
          OPS_TOKEN: { ssmParameter: 'gm-mc-ops' },
          DISCORD: { secretsManager: 'gm/mc/discord', key: 'token' },
          WHOLE: { secretsManager: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gm/whole-AbCdEf' },
        },
      },
      tr: spotNoVolumes(),
    })));
  });

  function container(game: string): Body {
    return containerDefinitions(only(synth.main.json, 'aws_ecs_task_definition', (b) => b.family === `gm-${game}`).body)[0]!;
  }

  it('fills them at start from full ARNs built from the cluster\'s partition and account, never as environment', () => {
    const secrets = container('mc').secrets as { name: string; valueFrom: string }[];
    expect(secrets.map((s) => s.name)).toEqual(['DISCORD', 'OPS_TOKEN', 'RCON_PASSWORD', 'WHOLE']);
    const arn = (s: string) => secrets.find((x) => x.name === s)!.valueFrom;
    // Partition and account: locals read from the cluster's ARN (no data source asks AWS at plan time).
    const scope = /^arn:\$\{local\.[^}]*partition[^}]*\}:(ssm|secretsmanager):eu-west-1:\$\{local\.[^}]*account[^}]*\}:/;
    for (const s of secrets.filter((x) => x.name !== 'WHOLE')) expect(s.valueFrom).toMatch(scope);
    expect(arn('RCON_PASSWORD')).toMatch(/:ssm:eu-west-1:.*:parameter\/gm\/mc\/rcon$/);
    expect(arn('OPS_TOKEN')).toMatch(/:parameter\/gm-mc-ops$/);
    expect(arn('DISCORD')).toMatch(/:secretsmanager:eu-west-1:.*:secret:gm\/mc\/discord:token::$/);
    expect(arn('WHOLE')).toBe('arn:aws:secretsmanager:eu-west-1:123456789012:secret:gm/whole-AbCdEf');
    const env = (container('mc').environment as { name: string }[]).map((e) => e.name);
    expect(env).not.toEqual(expect.arrayContaining(['RCON_PASSWORD']));
  });

  it('gives the task an execution role that may read exactly those parameters and secrets, and pull its image', () => {
    const task = only(synth.main.json, 'aws_ecs_task_definition', (b) => b.family === 'gm-mc');
    const role = only(synth.main.json, 'aws_iam_role', (b) => b.name === 'gm-mc-exec');
    expect(task.body.execution_role_arn).toBe(ref('aws_iam_role', role, 'arn'));
    expect(role.body.assume_role_policy).toContain('ecs-tasks.amazonaws.com');
    const policies = resources(synth.main.json, 'aws_iam_role_policy').filter((p) => p.body.role === ref('aws_iam_role', role, 'id'));
    expect(policies).toHaveLength(1);
    const text = policies[0]!.body.policy as string;
    // Every action the role has, once.
    const actions = [...text.matchAll(/"((?:ssm|secretsmanager|ecr|kms|logs|s3|iam):[A-Za-z*]+)"/g)].map((m) => m[1]).sort();
    expect(actions).toEqual(['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetAuthorizationToken', 'ecr:GetDownloadUrlForLayer', 'secretsmanager:GetSecretValue', 'ssm:GetParameters']);
    // Exactly the referenced parameters and secrets; no wildcard parameter, no kms:Decrypt (default keys).
    const arns = [...text.matchAll(/"(arn:[^"]+)"/g)].map((m) => m[1]!);
    expect(arns.filter((a) => a.includes(':ssm:')).map((a) => a.replace(/^.*:parameter/, 'parameter')).sort()).toEqual(['parameter/gm-mc-ops', 'parameter/gm/mc/rcon']);
    expect(arns.filter((a) => a.includes(':secretsmanager:')).map((a) => a.replace(/^.*:secret:/, 'secret:')).sort())
      .toEqual(['secret:gm/mc/discord-??????', 'secret:gm/whole-AbCdEf']);
  });

  it('leaves games without secrets as they were: no execution role', () => {
    const task = only(synth.main.json, 'aws_ecs_task_definition', (b) => b.family === 'gm-tr');
    expect(task.body.execution_role_arn).toBeUndefined();
    expect(container('tr').secrets).toBeUndefined();
    expect(resources(synth.main.json, 'aws_iam_role').filter((r) => r.body.name === 'gm-tr-exec')).toHaveLength(0);
  });
});

describe('secrets in the configuration', () => {
  const parse = (game: Record<string, unknown>) => parseConfigText(stringify(configDocument({ mc: { ...minecraft(), ...game } })), 'test.yaml', {});
  const problems = (game: Record<string, unknown>) => {
    try {
      parse(game);
      return [];
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return e.problems.map((p) => `${p.path}: ${p.message}`);
    }
  };

  it('refuses a name in both environment and secrets, naming the secret and the fix', () => {
    expect(problems({ environment: { EULA: 'TRUE', RCON_PASSWORD: 'x' }, secrets: { RCON_PASSWORD: { ssmParameter: '/gm/rcon' } } }))
      .toEqual(['games.mc.secrets.RCON_PASSWORD: RCON_PASSWORD is also in environment; keep it in one of them (secrets for a password or token)']);
  });

  it.each([
    [{ ssmParameter: 'aws/reserved' }, 'games.mc.secrets.X.ssmParameter'],
    [{ ssmParameter: '/ssm/reserved' }, 'games.mc.secrets.X.ssmParameter'],
    [{ ssmParameter: '/has space' }, 'games.mc.secrets.X.ssmParameter'],
    [{ secretsManager: 'bad name!' }, 'games.mc.secrets.X'],
  ])('refuses %j at the field that is wrong', (source, path) => {
    const found = problems({ secrets: { X: source } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}`));
  });
});

describe('passwords in plain environment', () => {
  it('warn once each on stderr, naming the game, the variable and the fix', () => {
    const config = parseConfigText(stringify(configDocument({
      mc: { ...minecraft(), environment: { EULA: 'TRUE', RCON_PASSWORD: 'hunter2', SERVER_PASS: '', API_KEY: 'k', DIFFICULTY: 'hard' } },
    })), 'test.yaml', {});
    const { result, stderr } = quietly(() => buildApp(config, undefined, [], 'test.yaml'));
    expect(result.warnings).toHaveLength(2);
    expect(stderr.trimEnd().split('\n')).toEqual([
      "Warning: games.mc.environment.API_KEY looks like a password or token and would be stored in cdk.tf.json and Terraform state; " +
        "move it to games.mc.secrets.API_KEY: { ssmParameter: /gm/mc/api-key } after creating the parameter with " +
        "aws ssm put-parameter --region eu-west-1 --type SecureString --name /gm/mc/api-key --value '…'",
      expect.stringMatching(/^Warning: games\.mc\.environment\.RCON_PASSWORD looks like a password or token/),
    ]);
  });

  it('match the names of passwords and tokens, not others', () => {
    const warned = (name: string) => plainSecretWarnings({ name: 'gm', region: 'eu-west-1', games: [{ id: 'g', environment: { [name]: 'v' } } as never] }).length === 1;
    for (const name of ['SERVER_PASS', 'PASSWORD', 'ADMIN_PASSWORD', 'RCON', 'RCON_PORT', 'DISCORD_TOKEN', 'API_KEY', 'APIKEY', 'CLIENT_SECRET']) expect([name, warned(name)]).toEqual([name, true]);
    for (const name of ['EULA', 'MEMORY', 'SERVER_NAME', 'WORLD_NAME', 'TYPE']) expect([name, warned(name)]).toEqual([name, false]);
  });
});

describe('the shipped configurations', () => {
  const files = ['gamemanagement.yaml', ...readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => `examples/${f}`)];
  const SENTINEL = 'Sentinel-Secret-Value-7391';

  it.each(files)('%s keeps every secret out of the synthesized JSON and warns about none', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    // Variables the file reads whose names say password or token hold the sentinel: a value reaching the JSON would show.
    const env = Object.fromEntries([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!)
      .filter((name) => /pass|secret|token|api.?key|rcon/i.test(name)).map((name) => [name, SENTINEL]));
    const config = parseConfigText(text, file, env);
    expect(plainSecretWarnings(config)).toEqual([]);
    const { result } = quietly(() => {
      const outdir = join(tmpdir(), `gm-secrets-${process.pid}-${file.replace(/\W/g, '-')}`);
      const app = buildApp(config, outdir, [], file, () => undefined);
      app.app.synth();
      return outdir;
    });
    const json = readdirSync(join(result, 'stacks')).map((s) => readFileSync(join(result, 'stacks', s, 'cdk.tf.json'), 'utf8')).join('\n');
    rmSync(result, { recursive: true, force: true });
    expect(json).not.toContain(SENTINEL);
    expect(json).not.toContain('change-me-please');
    for (const game of config.games) {
      for (const name of Object.keys(game.secrets)) expect(json).not.toMatch(new RegExp(`"name":"${name}","value"`));
    }
  });
});
