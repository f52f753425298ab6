/**
 * `gm audit` as the operator runs it (through main, with the real in-process
 * synth): the report per game, exit 1 on a high finding (a game port 22/tcp
 * opens SSH to the world; a plan that opens it), --json, usage mistakes, and
 * no AWS credentials needed at all.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { auditCommand } from '../../src/cli/commands/audit';
import { main } from '../../src/cli/main';
import { captureIo } from '../support/cli-io';

const ROOT = join(__dirname, '..', '..');
const SHIPPED = join(ROOT, 'gamemanagement.yaml');
const PLAN = join(ROOT, '__tests__', 'audit', 'fixtures', 'plan-ssh-open.json');

const saved = { GM_CONFIG: process.env.GM_CONFIG, AWS_PROFILE: process.env.AWS_PROFILE, AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE };
beforeEach(() => {
  process.env.GM_CONFIG = SHIPPED;
  // No credentials anywhere: the audit must not need any.
  process.env.AWS_PROFILE = 'gm-audit-no-such-profile';
  process.env.AWS_CONFIG_FILE = join(tmpdir(), 'gm-audit-no-aws-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(tmpdir(), 'gm-audit-no-aws-credentials');
});
afterAll(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

async function audit(...args: string[]) {
  const io = captureIo();
  const code = await main(['audit', ...args], io.io, [auditCommand]);
  return { code, out: io.out, err: io.err };
}

/** The shipped configuration with the Minecraft game also on 22/tcp. */
function configWithSsh(): string {
  const document = parse(readFileSync(SHIPPED, 'utf8')) as { games: Record<string, { ports: { port: number; protocol?: string }[] }> };
  document.games.mc!.ports.push({ port: 22, protocol: 'tcp' });
  const file = join(mkdtempSync(join(tmpdir(), 'gm-audit-ssh-')), 'ssh.yaml');
  writeFileSync(file, stringify(document));
  return file;
}

describe('gm audit', () => {
  it('a game with port 22/tcp: a high SSH finding on its rule, and exit 1', async () => {
    process.env.GM_CONFIG = configWithSsh();
    const { code, out } = await audit();
    expect(out).toContain('  open to the world: ingress tcp/22 from 0.0.0.0/0; ingress tcp/25565 from 0.0.0.0/0');
    expect(out).toContainEqual(expect.stringMatching(/^ {4}HIGH net-no-ssh: gamemanagement: aws_vpc_security_group_ingress_rule\.game-mc_firewall_in-tcp-22-v4_[0-9A-F]+: ingress tcp\/22 from 0\.0\.0\.0\/0 includes SSH \(tcp\/22\)$/));
    expect(out.at(-1)).toMatch(/^[1-9]\d* high, \d+ medium, \d+ low$/);
    expect(code).toBe(1);
  });

  it('prints per game its ports, IMDS, encryption, backups, protection, retention and every IAM grant', async () => {
    const { out } = await audit();
    expect(out.slice(0, 8)).toEqual([
      'game mc',
      '  open to the world: ingress tcp/25565 from 0.0.0.0/0',
      '  instance metadata: tokens required, hop limit 1',
      '  encryption: host volumes encrypted, world encrypted',
      '  backups: cron(0 5 * * ? *), kept 35 days, in vault gm-worlds',
      '  destroy protection: on (prevent_destroy)',
      expect.stringMatching(/^ {2}log retention: .*\/gm\/mc\/game 14 d/),
      '  IAM:',
    ]);
    expect(out).toContain('    gm-mc-watchdog');
    expect(out).toContain('      autoscaling:SetDesiredCapacity on arn:aws:autoscaling:eu-west-1:<account>:autoScalingGroup:<group-id>:autoScalingGroupName/gm-mc');
    expect(out).toContain('shared');
    expect(out).toContain('    gm-waker');
  });

  it('--plan: the plan\'s findings join the report, named by file and address', async () => {
    const { code, out } = await audit('--plan', PLAN);
    expect(out).toContainEqual(expect.stringMatching(/^ {4}HIGH net-no-ssh: plan-ssh-open\.json: module\.gamemanagement\.aws_vpc_security_group_ingress_rule\.game-mc_firewall_ssh: /));
    expect(code).toBe(1);
  });

  it('--json: games, shared and the summary, and the exit status follows the high count', async () => {
    const { code, out } = await audit('--json');
    expect(out).toHaveLength(1);
    type Finding = { rule: string; severity: string; resource: string; detail: string };
    const report = JSON.parse(out[0]!) as {
      config: string; plans: string[];
      games: { game: string; openPorts: string[]; roles: { role: string; grants: { actions: string[]; on: string[] }[] }[]; imds: unknown; encryption: unknown; backups: unknown; destroyProtection: unknown; logRetentionDays: Record<string, number>; findings: Finding[] }[];
      shared: { roles: unknown[]; findings: Finding[] };
      summary: { high: number; medium: number; low: number };
    };
    expect(report.config).toBe('gamemanagement.yaml');
    expect(report.plans).toEqual([]);
    expect(report.games.map((g) => g.game)).toEqual(['mc']);
    const [mc] = report.games;
    expect(mc).toMatchObject({
      openPorts: ['ingress tcp/25565 from 0.0.0.0/0'],
      imds: { httpTokens: 'required', hopLimit: 1 },
      encryption: { hostVolumes: true, world: true },
      backups: 'cron(0 5 * * ? *), kept 35 days, in vault gm-worlds',
      destroyProtection: true,
    });
    expect(mc!.logRetentionDays['/gm/mc/game']).toBe(14);
    expect(mc!.roles.map((r) => r.role).sort()).toEqual(['gm-mc-failsafe', 'gm-mc-host', 'gm-mc-instance-hook', 'gm-mc-task', 'gm-mc-watchdog']);
    const all = [...mc!.findings, ...report.shared.findings];
    expect(report.summary.high).toBe(all.filter((f) => f.severity === 'high').length);
    expect(code).toBe(report.summary.high > 0 ? 1 : 0);
  });

  it('--json also lists every finding once, flat, with its rule\'s title: what the pull-request comment reads', async () => {
    process.env.GM_CONFIG = configWithSsh();
    const { code, out } = await audit('--json');
    expect(code).toBe(1);
    type Finding = { rule: string; severity: string; title: string; resource: string; detail: string; game: string | null };
    const report = JSON.parse(out[0]!) as { games: { findings: Omit<Finding, 'title'>[] }[]; shared: { findings: Omit<Finding, 'title'>[] }; summary: Record<string, number>; findings: Finding[] };
    const nested = [...report.games.flatMap((g) => g.findings), ...report.shared.findings];
    expect(report.findings.map(({ title: _title, ...f }) => ({ ...f, game: f.game ?? undefined }))).toEqual(expect.arrayContaining(nested.map((f) => ({ ...f, game: f.game ?? undefined }))));
    expect(report.findings).toHaveLength(nested.length);
    expect(report.findings.filter((f) => f.severity === 'high')).toHaveLength(report.summary.high!);
    expect(report.findings.find((f) => f.rule === 'net-no-ssh')).toMatchObject({ severity: 'high', title: expect.stringMatching(/SSH/), game: 'mc' });
  });

  it('a configuration synth refuses: its problems as synth lists them, one block, exit 1, no stack', async () => {
    // Loading accepts it; synth refuses text holding cdktf's own token marker.
    const document = parse(readFileSync(SHIPPED, 'utf8')) as { games: Record<string, { environment: Record<string, string> }> };
    document.games.mc!.environment.MOTD = 'hi ${TfToken[TOKEN.1]}';
    const file = join(mkdtempSync(join(tmpdir(), 'gm-audit-refused-')), 'gamemanagement.yaml');
    writeFileSync(file, stringify(document));
    process.env.GM_CONFIG = file;
    const { code, out, err } = await audit();
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/ has \d+ problems?:\n/);
    expect(err[0]).toContain('games.mc.environment.MOTD: contains "{TfToken["');
    expect(err[0]).not.toMatch(/Nothing was synthesized|\bat \S+ \(/);
  });

  it('usage mistakes exit 2 with the usage: an argument, a missing plan file, a file that is not a plan', async () => {
    const argument = await audit('mc');
    expect([argument.code, argument.err[0]]).toEqual([2, 'gm audit: unexpected argument "mc"']);
    const missing = await audit('--plan', join(tmpdir(), 'no-such-plan.json'));
    expect([missing.code, missing.err[0]]).toEqual([2, `gm audit: cannot read --plan ${join(tmpdir(), 'no-such-plan.json')}: ENOENT`]);
    const notPlan = join(mkdtempSync(join(tmpdir(), 'gm-audit-state-')), 'state.json');
    writeFileSync(notPlan, JSON.stringify({ format_version: '1.0', values: { root_module: {} } }));
    const state = await audit('--plan', notPlan);
    expect(state.code).toBe(2);
    expect(state.err[0]).toMatch(/^gm audit: state\.json has no planned_values: it is state JSON, not a plan; make it with terraform plan -out=tfplan && terraform show -json tfplan$/);
  });
});
