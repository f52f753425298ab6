import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCostCommand } from '../../src/cli/commands/cost';
import { main } from '../../src/cli/main';
import { captureIo } from '../support/cli-io';

const ROOT = join(__dirname, '../..');
const SHIPPED = join(ROOT, 'gamemanagement.yaml');
const FACTORIO = join(ROOT, 'examples', 'factorio.yaml');

jest.setTimeout(60_000);

async function run(args: string[], env: NodeJS.ProcessEnv = { GM_CONFIG: SHIPPED }) {
  const captured = captureIo();
  const status = await main(['cost', ...args], captured.io, [createCostCommand(env)]);
  return { status, out: captured.out, err: captured.err };
}

/** The lines of the block that starts with `header`, up to the next line indented less. */
function block(lines: readonly string[], header: string): string[] {
  const start = lines.findIndex((l) => l.trim() === header);
  if (start < 0) throw new Error(`no block "${header}"`);
  const indent = lines[start]!.length - lines[start]!.trimStart().length;
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l.trim() === '' || l.length - l.trimStart().length <= indent) break;
    out.push(l);
  }
  return out;
}

describe('gm cost', () => {
  it('prints each game\'s idle month, running hour and month of play, the shared lines and both totals for the shipped example', async () => {
    const { status, out, err } = await run([]);
    expect(status).toBe(0);
    expect(err).toEqual([]);
    expect(out[0]).toMatch(/^gm cost: gm in eu-west-1, list prices in USD without tax, taken on \d{4}-\d{2}-\d{2}; 1 GB of world per game$/);
    expect(out).toContain('mc (mc.example.com, t4g.medium)');
    const idle = block(out, 'stopped, a month:');
    expect(idle.map((l) => l.trim().split(/\s{2,}/)[0])).toEqual([
      'world storage, EFS One Zone, 1 GB', 'world backups, AWS Backup warm storage, 1 GB', 'CloudWatch alarm × 1', 'CloudWatch Logs, 4 log groups × 1 MB', '= idle month',
    ]);
    // Figures in one column: every value of the block starts where the first does.
    const column = (l: string) => l.search(/\S+$|\?|\$|at least/);
    expect(new Set(idle.map(column)).size).toBe(1);
    expect(block(out, 'running, an hour:').map((l) => l.trim().split(/\s{2,}/)[0])).toEqual(expect.arrayContaining(['instance t4g.medium, on-demand', 'public IPv4 address', '= an hour']));
    expect(out.some((l) => /^ {2}20 h of play\s+/.test(l))).toBe(true);
    expect(block(out, 'shared by every game, a month:').some((l) => /hosted zone example\.com\s+\$0\.500/.test(l))).toBe(true);
    expect(out.find((l) => l.trim().startsWith('free:'))).toMatch(/^ {2}free: \d+ resources \(.*IAM \d+.*\); --json says why each is free$/);
    const totals = block(out, 'totals:');
    expect(totals[0]).toMatch(/at list price\s+after the AWS free tier$/);
    // The promise: an itemised idle month of at most $1.00, with both totals complete.
    const idleMonth = /^ {2}idle month \(nobody plays\)\s+\$(\d+\.\d+)\s+\$(\d+\.\d+)$/.exec(totals[1]!);
    expect(idleMonth).not.toBeNull();
    expect(Number(idleMonth![1])).toBeLessThanOrEqual(1);
    expect(Number(idleMonth![2])).toBeLessThanOrEqual(Number(idleMonth![1]));
    expect(totals[2]).toMatch(/^ {2}month with 20 h of play per game\s+\$\d+\.\d+\s+\$\d+\.\d+$/);
    expect(out.join('\n')).not.toContain('incomplete');
    expect(idle.every((l) => /\$\d/.test(l))).toBe(true);
    expect(block(out, 'assumptions:').join('\n')).toContain('1 player downloading 0.1 GB an hour');
    expect(block(out, 'sources:').every((l) => /https?:\/\/\S+$/.test(l))).toBe(true);
  });

  it('prints what README shows for the shipped example, line for line up to the totals', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const shown = /<!-- gm cost: shipped example -->\n```text\n([\s\S]*?)\n```/.exec(readme);
    expect(shown).not.toBeNull();
    const { out } = await run([]);
    const lines = shown![1]!.split('\n');
    expect(lines.at(-1)).toMatch(/^ {2}month with 20 h of play per game/);
    expect(out.slice(0, lines.length)).toEqual(lines);
  });

  it('prints complete totals where the table has every price, and the idle month at most $1.00', async () => {
    const { status, out } = await run([], { GM_CONFIG: FACTORIO });
    expect(status).toBe(0);
    const totals = block(out, 'totals:');
    expect(totals.join('\n')).not.toContain('incomplete');
    const idle = /^ {2}idle month \(nobody plays\)\s+\$(\d+\.\d+)\s+\$(\d+\.\d+)$/.exec(totals[1]!);
    expect(idle).not.toBeNull();
    expect(Number(idle![1])).toBeLessThanOrEqual(1);
    expect(Number(idle![2])).toBeLessThanOrEqual(Number(idle![1]));
    expect(out).not.toContain('incomplete: the price table has');
  });

  it('names each price the table lacks and marks both totals incomplete, never filling the gap', async () => {
    const { status, out } = await run([], { GM_CONFIG: join(ROOT, 'examples', 'satisfactory.yaml') });
    expect(status).toBe(0);
    const totals = block(out, 'totals:');
    expect(totals[1]).toMatch(/^ {2}idle month \(nobody plays\)\s+(≥ )?\$\d+\.\d+( \(incomplete\))?\s+/);
    expect(totals[2]).toMatch(/^ {2}month with 20 h of play per game\s+≥ \$\d+\.\d+ \(incomplete\)\s+≥ \$\d+\.\d+ \(incomplete\)$/);
    expect(block(out, 'incomplete: the price table has')).toContain('  - no price for r6i.large in eu-central-1');
    expect(out.some((l) => /instance r6i\.large, on-demand\s+\? \(no price for r6i\.large in eu-central-1\)$/.test(l))).toBe(true);
  });

  it('prints the same items as one JSON document with --json', async () => {
    const { status, out } = await run(['--json', '--hours', '10', '--world-gb', '2.5']);
    expect(status).toBe(0);
    expect(out).toHaveLength(1);
    const doc = JSON.parse(out[0]!);
    expect(doc).toMatchObject({ deployment: 'gm', region: 'eu-west-1', currency: 'USD', worldGb: 2.5, hoursPerMonth: 10 });
    const world = doc.games[0].idle.find((l: { item: string }) => l.item.startsWith('world storage'));
    expect(world).toMatchObject({ item: 'world storage, EFS One Zone, 2.5 GB', quantity: 2.5, unit: 'GB-month', source: 'efsEffectivePrices', resources: ['aws_efs_file_system.world_mc'] });
    expect(doc.games[0].playedMonth.find((l: { item: string }) => l.item.startsWith('instance')).quantity).toBe(10);
    expect(doc.free.find((f: { address: string }) => f.address.startsWith('aws_lambda_function.')).why).toMatch(/free tier/);
    expect(doc.sources.efsEffectivePrices.url).toBe('https://aws.amazon.com/efs/pricing/');
    expect(doc.totals.idleMonth).toEqual({ listUsd: expect.any(Number), afterFreeTierUsd: expect.any(Number), listComplete: true, afterFreeTierComplete: true });
  });

  it('prices one game when named, keeping the shared lines', async () => {
    const { status, out } = await run(['mc', '--json']);
    expect(status).toBe(0);
    const doc = JSON.parse(out[0]!);
    expect(doc.games.map((g: { id: string }) => g.id)).toEqual(['mc']);
    expect(doc.shared.some((l: { item: string }) => l.item === 'hosted zone example.com')).toBe(true);
  });

  it('refuses bad options and unknown games with the usage (exit 2), before reading the configuration', async () => {
    for (const args of [['--hours', 'ten'], ['--hours', '745'], ['--world-gb', '0'], ['--world-gb', '-1'], ['--world-gb', 'big'], ['--nat'], ['a', 'b']]) {
      const { status, err } = await run(args, { GM_CONFIG: '/nonexistent/gamemanagement.yaml' });
      expect({ args, status }).toEqual({ args, status: 2 });
      expect(err[0]).toMatch(/^gm cost: /);
      expect(err.join('\n')).toContain('usage: gm cost');
    }
    const unknown = await run(['palworld']);
    expect(unknown.status).toBe(2);
    expect(unknown.err[0]).toBe('gm cost: no game "palworld" in gamemanagement.yaml; games in gamemanagement.yaml: mc');
  });

  it('reports a configuration with errors as synth does (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-cost-test-'));
    const file = join(dir, 'gamemanagement.yaml');
    writeFileSync(file, 'region: eu-west-1\ndomain: { name: example.com }\nstate: { bucket: example-state-bucket }\nalerts: { monthlyBudgetUsd: 5 }\ngames: {}\n');
    const { status, err, out } = await run([], { GM_CONFIG: file });
    expect(status).toBe(1);
    expect(out).toEqual([]);
    expect(err.join('\n')).toContain('alerts.monthlyBudgetUsd: a budget alerts by e-mail');
  });

  it('needs no AWS credentials: it makes no AWS call', async () => {
    const { status, err } = await run([], { GM_CONFIG: SHIPPED, AWS_PROFILE: 'no-such-profile', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' });
    expect(status).toBe(0);
    expect(err).toEqual([]);
  });
});
