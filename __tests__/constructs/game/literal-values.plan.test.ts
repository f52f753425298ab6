/**
 * Real `terraform plan`, which validates first (offline, see __tests__/support/terraform.ts),
 * of user text that Terraform would otherwise evaluate: an environment value
 * `${path.cwd}`, a password with `%{`, an egress description with `${`, the
 * README's `$${VAR}` escape, and a game's secrets. Kept small: one stack with
 * only the constructs those values reach (container, firewall, execution
 * role), built from a configuration parsed as synth parses it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { stringify } from 'yaml';
import { parseConfigText } from '../../../src/config/load';
import type { GameConfig } from '../../../src/config/resolve';
import { GameFirewall } from '../../../src/constructs/game/firewall';
import { GameService } from '../../../src/constructs/game/service';
import { containerSecrets, localArnScope, TaskExecutionRole } from '../../../src/constructs/game/task-secrets';
import { defaultTags } from '../../../src/constructs/support/naming';
import { prepareStack, type PreparedStack } from '../../support/terraform';
import { configDocument, minecraft, REGION } from '../support/fixtures';

const CLUSTER_ARN = `arn:aws:ecs:${REGION}:123456789012:cluster/gm-mc`;

/** As the container must see them. The YAML writes `$${x}` where the loader would read a variable. */
const EXPECTED_ENV = {
  EULA: 'TRUE',
  PATH_LIKE: '${path.cwd}',
  SERVER_PASSWORD: 'pa%{ if true }ss%{ endif }${x}',
  README: '${VAR}',
  DOLLARS: 'a$${b} $$ %%{c}',
};
// Characters AWS allows in a rule description (no %), with a ${ Terraform would evaluate.
const DESCRIPTION = 'Steam ${var.x} {tcp}';

function game(): GameConfig {
  const document = configDocument({
    mc: {
      ...minecraft(),
      environment: { ...EXPECTED_ENV, SERVER_PASSWORD: 'pa%{ if true }ss%{ endif }$${x}', README: '$${VAR}', DOLLARS: 'a$$${b} $$ %%{c}' },
      egress: [{ port: 27015, protocol: 'udp', description: DESCRIPTION }],
      secrets: { RCON_PASSWORD: { ssmParameter: '/gm/mc/rcon' }, DISCORD: { secretsManager: 'gm/discord', key: 'token' } },
    },
  });
  const config = parseConfigText(stringify(document), 'test.yaml', {});
  return config.games[0]!;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Terraform's plan JSON

describe('user text and secrets through real Terraform', () => {
  let out: string;
  let stack: PreparedStack;
  let planned: Json[];
  let g: GameConfig;

  beforeAll(() => {
    g = game();
    // The loader keeps the text as written (the plan below checks Terraform does too).
    expect(g.environment).toEqual(EXPECTED_ENV);
    out = mkdtempSync(join(tmpdir(), 'gm-literal-plan-'));
    const app = new App({ outdir: out, skipValidation: false });
    const s = new TerraformStack(app, 'literal');
    new AwsProvider(s, 'aws', { region: REGION, defaultTags: [{ tags: defaultTags('gm', {}) }] });
    new GameFirewall(s, 'firewall', { prefix: 'gm', gameId: g.id, vpcId: 'vpc-0123456789abcdef0', ports: g.ports, egress: g.egress });
    const scope = localArnScope(s, CLUSTER_ARN, REGION);
    const exec = new TaskExecutionRole(s, 'exec', { prefix: 'gm', gameId: g.id, scope, secrets: g.secrets });
    new GameService(s, 'service', {
      prefix: 'gm', gameId: g.id, region: REGION, clusterArn: CLUSTER_ARN, image: g.image, ports: g.ports,
      environment: g.environment, memoryMiB: g.memoryMiB, stopTimeoutSeconds: g.stopTimeoutSeconds, logGroupName: '/gm/mc/game',
      secrets: containerSecrets(scope, g.secrets), executionRoleArn: exec.role.arn,
    });
    app.synth();
    stack = prepareStack({ stacksDir: join(out, 'stacks'), stack: 'literal', region: REGION });
    stack.run(['plan', '-input=false', '-no-color', '-lock=false', '-out=plan.bin']);
    const shown = JSON.parse(stack.run(['show', '-json', '-no-color', 'plan.bin'])) as Json;
    planned = shown.planned_values.root_module.resources as Json[];
  }, 180_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
    if (stack) rmSync(stack.dir, { recursive: true, force: true });
  });

  const resource = (type: string, where: (values: Json) => boolean = () => true): Json => {
    const found = planned.filter((r) => r.type === type && where(r.values));
    expect(found).toHaveLength(1);
    return found[0]!.values;
  };

  it('plans the container environment exactly as written', () => {
    const [container] = JSON.parse(resource('aws_ecs_task_definition').container_definitions as string) as Json[];
    const env = Object.fromEntries((container!.environment as { name: string; value: string }[]).map((e) => [e.name, e.value]));
    expect(env).toEqual(EXPECTED_ENV);
  });

  it('plans the secrets as ARNs of the cluster\'s partition and account, and no value', () => {
    const [container] = JSON.parse(resource('aws_ecs_task_definition').container_definitions as string) as Json[];
    expect(container!.secrets).toEqual([
      { name: 'DISCORD', valueFrom: `arn:aws:secretsmanager:${REGION}:123456789012:secret:gm/discord:token::` },
      { name: 'RCON_PASSWORD', valueFrom: `arn:aws:ssm:${REGION}:123456789012:parameter/gm/mc/rcon` },
    ]);
  });

  it('plans an execution role that reads exactly those', () => {
    const policy = JSON.parse(resource('aws_iam_role_policy').policy as string) as { Statement: Json[] };
    const byAction = Object.fromEntries(policy.Statement.map((st) => [[st.Action].flat().join(','), st.Resource]));
    expect(byAction['ssm:GetParameters']).toEqual([`arn:aws:ssm:${REGION}:123456789012:parameter/gm/mc/rcon`]);
    expect(byAction['secretsmanager:GetSecretValue']).toEqual([`arn:aws:secretsmanager:${REGION}:123456789012:secret:gm/discord-??????`]);
    expect(policy.Statement.flatMap((st) => [st.Action].flat())).not.toContain('kms:Decrypt');
  });

  it('plans the egress description exactly as written', () => {
    expect(resource('aws_vpc_security_group_egress_rule', (v) => v.from_port === 27015).description).toBe(DESCRIPTION);
  });
});
