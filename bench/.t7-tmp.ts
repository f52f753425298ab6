import { buildSync } from 'esbuild';
import { buildEntry, lambdaEntry, BUNDLE_OPTIONS } from '../src/constructs/support/lambda-bundle';
for (let r = 0; r < 2; r++) for (const n of ['instance-hook', 'notifier']) {
  let t = Date.now(); buildEntry(lambdaEntry(n)); const a = Date.now() - t;
  t = Date.now(); buildSync({ entryPoints: [lambdaEntry(n)], bundle: true, platform: 'node', target: 'node22', format: 'cjs', minify: true, write: false, loader: { '.sh': 'text' } }); const b = Date.now() - t;
  t = Date.now(); buildSync({ ...BUNDLE_OPTIONS, entryPoints: [lambdaEntry(n)] }); const c = Date.now() - t;
  console.log(n, 'new', a, 'old', b, 'new-options-no-plugin', c);
}
