/**
 * A plan's JSON (`terraform show -json`) is read like the synthesized stacks:
 * resources of the root and every child module, blocks written as lists,
 * policies as JSON text; the rules find what the plan would create.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES, auditContext, runAudit } from '../../src/audit';
import { gameOf } from '../../src/audit/model';
import { PlanFormatError, readPlanJson } from '../../src/audit/read-plan';
import { synthesizedExample } from './support/examples';

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'plan-ssh-open.json'), 'utf8')) as unknown;
const SSH_RULE = 'plan-ssh-open.json: module.gamemanagement.aws_vpc_security_group_ingress_rule.game-mc_firewall_ssh';

describe('reading a plan', () => {
  const plan = readPlanJson('plan-ssh-open.json', fixture);

  it('takes every managed resource of the root and child modules, with its address; data sources are not resources', () => {
    expect(plan.resources.map((r) => r.address)).toEqual([
      'aws_cloudwatch_log_group.game-mc_logs_0F5CA02B',
      'module.gamemanagement.aws_launch_template.game-mc_host_launch-template_39362BFC',
      'module.gamemanagement.aws_vpc_security_group_ingress_rule.game-mc_firewall_in-tcp-25565-v4_F8DE34B3',
      'module.gamemanagement.aws_vpc_security_group_ingress_rule.game-mc_firewall_ssh',
      'module.gamemanagement.aws_iam_role_policy.game-mc_extra',
    ]);
    expect(plan.resources.every((r) => r.kind === 'plan' && r.lifecycle === undefined)).toBe(true);
  });

  it('refuses what is not a plan, saying how to make one', () => {
    expect(() => readPlanJson('state.json', { values: {} })).toThrow(PlanFormatError);
    expect(() => readPlanJson('state.json', { format_version: '1.0', values: {} })).toThrow(/terraform show -json tfplan/);
  });

  it('the rules report the plan\'s SSH rule, IMDSv1 and wildcard grant under the plan\'s addresses, and nothing for its game port', async () => {
    const example = synthesizedExample('gamemanagement.yaml');
    const findings = (await runAudit(auditContext(example.config, [plan]), RULES)).map((f) => `${f.rule} ${f.resource} (${f.game ?? 'shared'})`);
    expect(findings).toEqual(expect.arrayContaining([
      `net-no-ssh ${SSH_RULE} (mc)`,
      `net-world-ingress-game-ports ${SSH_RULE} (mc)`,
      'host-imdsv2 plan-ssh-open.json: module.gamemanagement.aws_launch_template.game-mc_host_launch-template_39362BFC (mc)',
      'iam-no-wildcard-actions plan-ssh-open.json: module.gamemanagement.aws_iam_role_policy.game-mc_extra (mc)',
    ]));
    expect(findings.filter((f) => f.includes('25565'))).toEqual([]);
    // Lifecycle is not in a plan's JSON: the rules that need it judge the synthesized stacks only.
    expect(findings.filter((f) => f.startsWith('tf-ignores-runtime') || f.startsWith('storage-destroy-protection'))).toEqual([]);
  });
});

describe('backups in a plan', () => {
  /** A worlds-stack plan: game mc's file system, and its backup selection when given (values unknown until apply are null). */
  function worldsPlan(selection?: Record<string, unknown>) {
    const resource = (type: string, name: string, values: Record<string, unknown>) => ({
      address: `${type}.${name}`, mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0, values, sensitive_values: {},
    });
    return readPlanJson('worlds.json', {
      format_version: '1.2',
      terraform_version: '1.11.0',
      planned_values: { root_module: { resources: [
        resource('aws_efs_file_system', 'world_mc', { creation_token: 'gm-mc-world', encrypted: true }),
        ...(selection ? [resource('aws_backup_selection', 'world_mc_backup_selection', selection)] : []),
      ] } },
    });
  }
  const backupFindings = async (selection?: Record<string, unknown>) => {
    const { config } = synthesizedExample('gamemanagement.yaml');
    return (await runAudit(auditContext(config, [worldsPlan(selection)]), RULES.filter((r) => r.id === 'efs-backup'))).map((f) => f.resource);
  };

  it('finds a world the plan leaves without a selection', async () => {
    expect(await backupFindings()).toEqual(['worlds.json: aws_efs_file_system.world_mc']);
  });

  it('takes the game\'s selection whose resources are known only after apply (null), or that names the world', async () => {
    expect(await backupFindings({ name: 'gm-mc-world', resources: [null] })).toEqual([]);
    expect(await backupFindings({ name: 'gm-mc-world' })).toEqual([]);
  });

  it('does not take another world\'s selection for this one', async () => {
    expect(await backupFindings({ name: 'gm-other-world', resources: ['arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0other000000000'] }))
      .toEqual(['worlds.json: aws_efs_file_system.world_mc']);
  });
});

it('counts a selection as its own game\'s by its address, also when another game\'s id is "<id>-world"', async () => {
  const { config } = synthesizedExample('gamemanagement.yaml');
  const mc = config.games[0]!;
  const twoGames = { ...config, games: [mc, { ...mc, id: 'mc-world' }] };
  const plan = readPlanJson('worlds.json', {
    format_version: '1.2',
    planned_values: { root_module: { resources: [{
      address: 'aws_backup_selection.world_mc_backup_selection', mode: 'managed', type: 'aws_backup_selection', name: 'world_mc_backup_selection',
      values: { name: 'gm-mc-world', resources: [null] }, sensitive_values: {},
    }] } },
  });
  expect(gameOf(auditContext(twoGames, [plan]), plan.resources[0]!)).toBe('mc');
});
