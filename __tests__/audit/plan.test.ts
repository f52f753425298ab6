/**
 * A plan's JSON (`terraform show -json`) is read like the synthesized stacks:
 * resources of the root and every child module, blocks written as lists,
 * policies as JSON text; the rules find what the plan would create.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES, auditContext, runAudit } from '../../src/audit';
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
