/**
 * Every user string reaches AWS exactly as written: Terraform reads each string
 * of cdk.tf.json as a template, so `${` and `%{` in user text are escaped once,
 * where the text enters a resource attribute, and cdktf's own references stay
 * references. `terraform validate` and `plan` of the same values:
 * literal-values.plan.test.ts.
 */
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Fn, TerraformStack, Testing } from 'cdktf';
import { BundledFunction } from '../../../src/constructs/support/bundled-function';
import { buildApp } from '../../../src/app';
import { ConfigError } from '../../../src/config/config-error';
import { parseConfigText } from '../../../src/config/load';
import { terraformLiteral } from '../../../src/constructs/support/literal';
import { stringify } from 'yaml';
import { configDocument, minecraft, valheim } from '../support/fixtures';
import { containerDefinitions, only, resources, synthYaml, type Body, type SynthesizedApp, type TerraformJson } from '../support/synth';

/**
 * What Terraform makes of a template: `$${` → `${`, `%%{` → `%{`; references to resources
 * (`${aws_x.y.z}`) become REF. Any other interpolation or directive fails the test.
 */
function unescapeTemplate(template: string): string {
  const withoutReferences = template.replace(/(?<!\$)\$\{(aws_[a-z0-9_]+|data\.[a-z0-9_]+|local)\.[A-Za-z0-9_.-]+\}/g, 'REF');
  expect(withoutReferences).not.toMatch(/(^|[^$])\$\{|(^|[^%])%\{/);
  return withoutReferences.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

describe('terraformLiteral', () => {
  it.each([
    ['${path.cwd}', '$${path.cwd}'],
    ['p%{ if true }w%{ endif }', 'p%%{ if true }w%%{ endif }'],
    ['${VAR}', '$${VAR}'],
    // What the README's `$${VAR}` escape yields after the loader is `${VAR}`; a literal `$${` stays itself too.
    ['a$${x}', 'a$$${x}'],
    ['$ { } % {} $$ %%', '$ { } % {} $$ %%'],
    ['plain', 'plain'],
  ])('writes %j as %j', (text, template) => {
    expect(terraformLiteral(text)).toBe(template);
  });

  it('leaves cdktf references alone, so a JSON document mixing text and references is escaped as a whole', () => {
    const reference = Fn.lower('X');
    expect(terraformLiteral(`${reference} \${path.cwd}`)).toBe(`${reference} $\${path.cwd}`);
  });
});

/** As the games get them; the YAML writes `$${…}` where the loader would read a variable. */
const HOSTILE = {
  env: '${path.cwd}',
  password: 'pa%{ss}word${x}',
  description: 'Steam ${var.x} {x}',
  volume: '/data/${x}',
};
const inYaml = (text: string) => text.replace(/\$\{(?=[A-Za-z_][A-Za-z0-9_]*\})/g, () => '$${');

function hostileDocument(): Record<string, unknown> {
  return configDocument(
    {
      mc: {
        ...minecraft(),
        environment: { EULA: 'TRUE', PATH_LIKE: HOSTILE.env, SERVER_PASSWORD: inYaml(HOSTILE.password), README: '$${VAR}' },
        volumes: [{ path: inYaml(HOSTILE.volume) }],
      },
      vh: { ...valheim(), egress: [{ port: 27015, protocol: 'udp', cidr: '0.0.0.0/0', description: HOSTILE.description }] },
    },
  );
}

describe('user text in the synthesized stacks', () => {
  let synth: SynthesizedApp;
  let warnings: string[];
  beforeAll(() => {
    warnings = [];
    const config = parseConfigText(stringify(hostileDocument()), 'test.yaml', {});
    // synthYaml prints warnings; here they are collected (the password is meant to warn).
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => { warnings.push(String(chunk)); return true; }) as typeof process.stderr.write;
    try {
      synth = synthYaml(stringify(hostileDocument()));
    } finally {
      process.stderr.write = original;
    }
    expect(config.games.find((g) => g.id === 'mc')!.environment.README).toBe('${VAR}');
  });

  it('gives the container its environment exactly as written (after Terraform reads the template)', () => {
    const task = only(synth.main.json, 'aws_ecs_task_definition', (b) => b.family === 'gm-mc');
    const raw = task.body.container_definitions as string;
    const env = containerDefinitions({ container_definitions: unescapeTemplate(raw) })[0]!.environment as { name: string; value: string }[];
    expect(Object.fromEntries(env.map((e) => [e.name, e.value]))).toEqual({
      EULA: 'TRUE', PATH_LIKE: HOSTILE.env, SERVER_PASSWORD: HOSTILE.password, README: '${VAR}',
    });
    const mount = (containerDefinitions({ container_definitions: unescapeTemplate(raw) })[0]!.mountPoints as Body[])[0]!;
    expect(mount.containerPath).toBe(HOSTILE.volume);
  });

  it('keeps the references inside the container definitions as references', () => {
    const raw = only(synth.main.json, 'aws_ecs_task_definition', (b) => b.family === 'gm-mc').body.container_definitions as string;
    // The log group is a reference to the game's log group resource; the access point one comes from the worlds stack.
    expect(raw).toMatch(/"awslogs-group":"\$\{aws_cloudwatch_log_group\.[^}]+\.name\}"/);
  });

  it('writes an egress description as written', () => {
    const rule = resources(synth.main.json, 'aws_vpc_security_group_egress_rule').map((r) => r.body)
      .find((b) => typeof b.description === 'string' && b.description.includes('Steam'));
    expect(unescapeTemplate(rule!.description as string)).toBe(HOSTILE.description);
  });

  it('names an access point by its container path as written', () => {
    const point = resources(synth.worlds.json, 'aws_efs_access_point').map((r) => r.body)
      .find((b) => (b.tags as Record<string, string>).Name!.startsWith('gm-mc'));
    expect(unescapeTemplate((point!.tags as Record<string, string>).Name!)).toBe(`gm-mc-world${HOSTILE.volume}`);
  });

  it('leaves no unescaped ${ or %{ of the user text anywhere in the JSON', () => {
    for (const stack of [synth.main, synth.worlds, synth.bootstrap]) {
      for (const needle of ['${path.cwd}', '${x}', '${var.x}', '%{ss}']) {
        // `${x}` must only appear as `$${x}`, `%{x}` only as `%%{x}`.
        const quoted = needle.replace(/[$%{}.[\]]/g, (c) => `\\${c}`);
        const unescaped = new RegExp(`(^|[^\\${needle[0]}])${quoted}`);
        expect({ needle, unescaped: unescaped.test(stack.text) }).toEqual({ needle, unescaped: false });
      }
    }
  });
});

describe('a function\'s environment (GM_GAME is JSON of the configuration)', () => {
  it('reaches Lambda as written, and references in it stay references', () => {
    const stack = new TerraformStack(Testing.app(), 'fn');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const topic = new SnsTopic(stack, 'topic', { name: 'gm-alerts' });
    new BundledFunction(stack, 'fn', {
      entry: 'notifier', functionName: 'gm-notifier', description: 'x',
      environment: { GM_GAME: JSON.stringify({ note: '${path.cwd} %{ if true }' }), GM_TOPIC_ARN: topic.arn },
    });
    const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
    const variables = (only(json, 'aws_lambda_function').body.environment as { variables: Record<string, string> }).variables;
    expect(JSON.parse(unescapeTemplate(variables.GM_GAME!))).toEqual({ note: '${path.cwd} %{ if true }' });
    expect(variables.GM_TOPIC_ARN).toMatch(/^\$\{aws_sns_topic\.topic\.arn\}$/);
  });
});

describe('text cdktf would take for its own reference', () => {
  it('is a configuration error naming the field, not a stack trace', () => {
    const document = configDocument({ mc: { ...minecraft(), environment: { EULA: 'TRUE', X: 'a${TfToken[TOKEN.1]}b' } } });
    const config = parseConfigText(stringify(document), 'test.yaml', {});
    let error: unknown;
    try {
      buildApp(config, undefined, [], 'test.yaml', () => undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.objectContaining({ path: 'games.mc.environment.X', message: expect.stringContaining('TfToken') }),
    ]);
  });
});
