/**
 * `gm cost` as people read it (aligned columns: one block per game, then the
 * shared lines and the totals) and as scripts read it (`--json`, the same
 * items with every figure unrounded).
 */
import type { CostLine, CostReport, GameCost, Totals } from '../../cost/estimate';
import { PRICE_SOURCES } from '../../cost/price-sources';

/** Cents for amounts of a dollar and more; small amounts keep enough digits to be seen. */
export function usd(amount: number): string {
  if (amount === 0) return '$0.00';
  if (amount >= 0.995) return `$${amount.toFixed(2)}`;
  if (amount >= 0.01) return `$${amount.toFixed(3)}`;
  return `$${amount.toFixed(4)}`;
}

/** An hour's figures are fractions of a cent apart: four decimals, as `gm status` shows the hourly price. */
function hourly(amount: number): string {
  return `$${amount.toFixed(4)}`;
}

function figure(l: CostLine, format: (amount: number) => string = usd): string {
  return l.usd === null ? `? (${l.missing})` : format(l.usd);
}

type Row = readonly [string, string];

/** Rows with the figures in one column, left edge aligned. */
function aligned(rows: readonly Row[], indent: string): string[] {
  const width = Math.max(0, ...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}`.trimEnd());
}

function sum(lines: readonly CostLine[]): { usd: number; complete: boolean } {
  return { usd: lines.reduce((s, l) => s + (l.usd ?? 0), 0), complete: lines.every((l) => l.usd !== null) };
}

function subtotal(lines: readonly CostLine[], what: string, format: (amount: number) => string = usd): Row {
  const s = sum(lines);
  return [what, s.complete ? format(s.usd) : `at least ${format(s.usd)} (incomplete)`];
}

function gameBlock(game: GameCost, hours: number): string[] {
  const out = [`${game.id} (${game.fqdn}, ${game.instanceType}${game.spot ? ', spot' : ''})`];
  out.push('  stopped, a month:');
  out.push(...aligned([...game.idle.map((l): Row => [l.item, figure(l)]), subtotal(game.idle, '= idle month')], '    '));
  out.push('  running, an hour:');
  const hourRows: Row[] = [...game.runningHour.map((l): Row => [l.item, figure(l, hourly)]), subtotal(game.runningHour, '= an hour', hourly)];
  if (game.spotEstimate) {
    const e = game.spotEstimate;
    hourRows.push([`instance at a typical spot price (−${Math.round(e.typicalDiscount * 100)} %, not a quote)`, hourly(e.typicalUsdPerHour)]);
  }
  out.push(...aligned(hourRows, '    '));
  out.push(...aligned([subtotal(game.playedMonth, `${hours} h of play`)], '  '));
  return out;
}

function totalsRow(label: string, t: Totals): readonly [string, string, string] {
  const list = t.listComplete ? usd(t.listUsd) : `≥ ${usd(t.listUsd)} (incomplete)`;
  const free = t.afterFreeTierComplete ? usd(t.afterFreeTierUsd) : `≥ ${usd(t.afterFreeTierUsd)} (incomplete)`;
  return [label, list, free];
}

function totalsBlock(report: CostReport): string[] {
  const rows = [
    ['', 'at list price', 'after the AWS free tier'] as const,
    totalsRow('idle month (nobody plays)', report.totals.idleMonth),
    totalsRow(`month with ${report.hoursPerMonth} h of play per game`, report.totals.playedMonth),
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return ['totals:', ...rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`.trimEnd())];
}

/** Services by the Terraform type's second word, in the words of the free line. */
const SERVICE_WORDS: Readonly<Record<string, string>> = {
  iam: 'IAM', lambda: 'Lambda', cloudwatch: 'EventBridge and log settings', sns: 'SNS e-mail', ecs: 'ECS', ssm: 'SSM',
  autoscaling: 'Auto Scaling', launch: 'launch template', efs: 'EFS settings', s3: 'state bucket',
  backup: 'backup vault and plan', route53: 'DNS records', vpc: 'VPC', subnet: 'VPC', internet: 'VPC', route: 'VPC', security: 'VPC', default: 'VPC',
};

/** One short line: how many resources are free, by service ("free: 77 resources (IAM 17, Lambda 13, …)"). */
function freeLine(report: CostReport): string {
  const counts = new Map<string, number>();
  for (const f of report.free) {
    const word = f.address.split('.')[0]!.split('_')[1] ?? '';
    const service = SERVICE_WORDS[word] ?? word;
    counts.set(service, (counts.get(service) ?? 0) + 1);
  }
  return `free: ${report.free.length} resources (${[...counts].map(([s, n]) => `${s} ${n}`).join(', ')}); --json says why each is free`;
}

export function costText(report: CostReport): string[] {
  const out = [
    `gm cost: ${report.deployment} in ${report.region}, list prices in USD without tax, taken on ${report.pricesTakenOn}; ${report.worldGb} GB of world per game`,
    '',
  ];
  for (const game of report.games) out.push(...gameBlock(game, report.hoursPerMonth), '');
  out.push('shared by every game, a month:');
  out.push(...aligned([...report.shared.map((l): Row => [l.item, figure(l)]), subtotal(report.shared, '= shared')], '  '));
  out.push(`  ${freeLine(report)}`, '');
  out.push(...totalsBlock(report), '');
  if (report.missing.length > 0) {
    out.push('incomplete: the price table has', ...report.missing.map((m) => `  - ${m}`), '');
  }
  out.push('assumptions:', ...report.assumptions.map((a) => `  - ${a}`), '');
  out.push('sources:', ...report.sources.map((id) => `  - ${PRICE_SOURCES[id].title} (${PRICE_SOURCES[id].asOf}): ${PRICE_SOURCES[id].url}`));
  return out;
}

/** The report for scripts: every line with its quantity, unit price and source, every free resource with its reason. */
export function costJson(report: CostReport): string {
  const sources = Object.fromEntries(report.sources.map((id) => [id, PRICE_SOURCES[id]]));
  return JSON.stringify({ ...report, sources }, null, 2);
}
