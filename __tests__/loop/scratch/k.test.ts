import '../powertools-env';
import { runTrace } from '../traces/runner';
import { loadTraces } from '../traces/trace';
import type { FaultKind } from '../fake-aws';
it('k', async () => {
  const t = loadTraces().find((x) => x.name === (process.env.TRACE ?? 'comeback'))!;
  const k = Number(process.env.K);
  const from = process.env.FROM ?? '00:00:00', to = process.env.TO ?? '99';
  const r = await runTrace(t, { setup: (aws) => aws.faults.failCall(k, (process.env.KIND ?? 'timeout') as FaultKind, process.env.APPLIED === '1'), inspect: (aws) => {
    console.log(aws.journal.map((e, i) => `${new Date(aws.world.journalTimes[i] ?? 0).toISOString().slice(11, 19)} ${e}`).filter((l) => l.slice(0,8) >= from && l.slice(0,8) <= to).join('\n'));
    console.log(aws.calls.filter((c) => c.at.slice(11, 19) >= from && c.at.slice(11, 19) <= to).map((c) => `${c.n} ${c.at.slice(11, 19)} ${c.service} ${c.command} ${c.outcome} ${JSON.stringify(c.input).slice(0, 160)}`).join('\n'));
  } });
  console.log(r.violations, r.errors);
}, 600000);
