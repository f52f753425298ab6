import '../powertools-env';
import { runTrace } from '../traces/runner';
import { loadTraces } from '../traces/trace';
import type { FaultKind } from '../fake-aws';
it('sweep', async () => {
  const t = loadTraces().find((x) => x.name === (process.env.TRACE ?? 'comeback'))!;
  let total = 0;
  const clean = await runTrace(t, { inspect: (aws) => { total = aws.calls.length; } });
  console.log('calls', total, clean.violations);
  const kind = (process.env.KIND ?? 'throttle') as FaultKind;
  const applied = process.env.APPLIED === '1';
  const t0 = Date.now();
  const bad: string[] = [];
  const step = Number(process.env.STEP ?? 1);
  for (let k = 1; k <= total; k += step) {
    let fired = '';
    const r = await runTrace(t, { setup: (aws) => aws.faults.failCall(k, kind, applied), inspect: (aws) => { fired = aws.faults.fired.join(';'); } });
    if (r.violations.length > 0) bad.push(`${k} [${fired}] ${r.violations.join(' | ')} || errors: ${r.errors.join(' | ')}`);
  }
  console.log('ms', Date.now() - t0, '\n' + bad.join('\n'));
}, 1200000);
