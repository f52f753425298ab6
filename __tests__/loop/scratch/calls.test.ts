import '../powertools-env';
import { runTrace } from '../traces/runner';
import { loadTraces } from '../traces/trace';
it('calls', async () => {
  const t = loadTraces().find((x) => x.name === (process.env.TRACE ?? 'evening'))!;
  await runTrace(t, { inspect: (aws) => {
    const from = process.env.FROM ?? '18:00:50', to = process.env.TO ?? '18:02:10';
    console.log(aws.calls.filter((c) => c.at.slice(11, 19) >= from && c.at.slice(11, 19) <= to).map((c) => `${c.at.slice(11, 19)} ${c.service} ${c.command} ${c.outcome} ${JSON.stringify(c.input).slice(0, 120)}`).join('\n'));
  } });
}, 600000);
