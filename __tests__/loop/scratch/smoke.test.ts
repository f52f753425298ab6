import '../powertools-env';
import { runTrace } from '../traces/runner';
import { loadTraces } from '../traces/trace';
const only = process.env.TRACE;
it('runs', async () => {
  for (const t of loadTraces().filter((t) => !only || t.name === only)) {
    const r = await runTrace(t, { inspect: (aws) => {
      if (process.env.JOURNAL) console.log(aws.journal.map((e, i) => `${new Date(aws.world.journalTimes[i] ?? 0).toISOString().slice(11, 19)} ${e}`).filter((l) => !/ssm put .*watchdog-state/.test(l)).join('\n'));
    } });
    console.log(JSON.stringify(r, null, 1));
  }
}, 600000);
