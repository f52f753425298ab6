import { buildEntry } from '../src/constructs/support/lambda-bundle';
import { measureColdStart } from './cold-start';
import { INVOCATIONS } from './fixtures/invocations';
import { startLocalAws } from './local-aws';
(async () => {
  const aws = await startLocalAws();
  const fns = (process.env.FNS ?? 'notifier,failsafe,waker,instance-hook').split(',');
  const codes = new Map<string, Uint8Array>();
  for (const fn of fns) for (const [v, root] of [['require', 'src'], ['static', 'bench/.tmpx/src']] as const) codes.set(`${fn}|${v}`, buildEntry(`${root}/lambdas/${fn}/handler.ts`).code);
  const res = new Map<string, { load: number[]; call: number[] }>();
  for (let r = 0; r < Number(process.env.ROUNDS ?? 7); r++) for (const [k, code] of codes) {
    const fn = k.split('|')[0]!;
    const c = await measureColdStart(fn, code, INVOCATIONS[fn]!, aws, 1);
    const e = res.get(k) ?? { load: [], call: [] }; e.load.push(c.loadMs); e.call.push(c.callMs); res.set(k, e);
    if (r === 0) console.log(k, c.outcome.slice(0, 80), c.calls.join(','));
  }
  await aws.close();
  const med = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]!; };
  for (const [k, code] of codes) { const e = res.get(k)!; const t = e.load.map((l, i) => l + e.call[i]!); console.log(k.padEnd(24), 'code', (code.length / 1024).toFixed(0).padStart(5), 'load', med(e.load).toFixed(0).padStart(4), 'call', med(e.call).toFixed(0).padStart(4), 'init med', med(t).toFixed(0).padStart(4), 'min', Math.min(...t).toFixed(0).padStart(4)); }
})();
