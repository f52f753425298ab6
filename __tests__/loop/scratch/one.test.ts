import '../powertools-env';
import { runTrace } from '../traces/runner';
import { loadTraces } from '../traces/trace';
it('one', async () => {
  const t = loadTraces().find((x) => x.name === (process.env.TRACE ?? 'comeback'))!;
  const from = process.env.FROM ?? '00:00:00', to = process.env.TO ?? '99';
  const r = await runTrace(t, { eventDelayMs: (e) => (e['detail-type'].includes('terminate') ? 200_000 : 1000), inspect: (aws) => {
    console.log(aws.journal.map((e, i) => `${new Date(aws.world.journalTimes[i] ?? 0).toISOString().slice(11, 19)} ${e}`).filter((l) => l.slice(0,8) >= from && l.slice(0,8) <= to).join('\n'));
    if (process.env.CALLS) console.log(aws.calls.filter((c) => c.at.slice(11, 19) >= from && c.at.slice(11, 19) <= to).map((c) => `${c.at.slice(11, 19)} ${c.service} ${c.command} ${c.outcome} ${JSON.stringify(c.input).slice(0, 140)}`).join('\n'));
  } });
  console.log(r.violations, r.errors);
}, 600000);
