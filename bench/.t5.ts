import { buildLambdaCode, buildEntry, lambdaEntry } from '../src/constructs/support/lambda-bundle';
import { zipSync } from 'fflate';
for (const n of ['waker', 'instance-hook', 'watchdog', 'failsafe', 'notifier']) {
  const t = Date.now(); const c = buildLambdaCode(n);
  console.log(n, (c.length/1024).toFixed(0), (zipSync({'index.js':[c,{level:9}]}).length/1024).toFixed(0), Date.now()-t, 'ms');
}
const b = buildEntry(lambdaEntry('failsafe'), { metafile: true });
console.log(Object.keys(b.metafile!.inputs).length);
