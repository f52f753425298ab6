import { build, buildSync, type Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { measureColdStart } from './cold-start';
import { INVOCATIONS, BASELINES } from './fixtures/invocations';
import { startLocalAws } from './local-aws';
const schema: Plugin = { name: 'x', setup(b) { b.onLoad({ filter: /[\\/]@aws-sdk[\\/].*[\\/]schemas[\\/]schemas_\d+\.js$/ }, (args) => {
  const source = readFileSync(args.path, 'utf8'); const constants = new Map<string,string>();
  for (const m of source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)) constants.set(m[1]!, m[2]!);
  return { contents: source.replace(/([{,]\s*)\[(_\w+)\]:/g, (all, before, id) => (constants.has(id) ? before + constants.get(id) + ':' : all)), loader: 'js' };
}); } };
const envOnly: Plugin = { name: 'y', setup(b) { b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({ path: join(__dirname, '.tmpx/env-only-provider.js') })); } };
const base = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', minify: true, sourcemap: false, legalComments: 'none', write: false, logLevel: 'error', loader: { '.sh': 'text' } } as const;
const variants: Record<string, (e: string) => Promise<Uint8Array>> = {
  before: async (e) => buildSync({ ...base, entryPoints: [e] }).outputFiles[0]!.contents,
  '+module': async (e) => (await build({ ...base, entryPoints: [e], mainFields: ['module', 'main'] })).outputFiles[0]!.contents,
  '+schemas': async (e) => (await build({ ...base, entryPoints: [e], mainFields: ['module', 'main'], plugins: [schema] })).outputFiles[0]!.contents,
  '+envcreds': async (e) => (await build({ ...base, entryPoints: [e], mainFields: ['module', 'main'], plugins: [schema, envOnly] })).outputFiles[0]!.contents,
};
(async () => {
  const aws = await startLocalAws();
  const rounds = Number(process.env.ROUNDS ?? 5);
  const fns = (process.env.FNS ?? 'bare+sdk,waker,instance-hook,watchdog,failsafe,notifier').split(',');
  const codes = new Map<string, Uint8Array>();
  for (const fn of fns) for (const [v, b] of Object.entries(variants)) {
    const entry = fn === 'bare+sdk' ? 'bench/fixtures/bare-sdk-handler.ts' : `src/lambdas/${fn}/handler.ts`;
    codes.set(`${fn}|${v}`, await b(entry));
  }
  const res = new Map<string, number[]>();
  for (let r = 0; r < rounds; r++) for (const [k, code] of codes) {
    const fn = k.split('|')[0]!;
    const inv = fn === 'bare+sdk' ? BASELINES['bare + 1 SDK call'].invocation : INVOCATIONS[fn]!;
    const c = await measureColdStart(fn, code, inv, aws, 1);
    res.set(k, [...(res.get(k) ?? []), c.loadMs + c.callMs]);
  }
  await aws.close();
  const med = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]!; };
  for (const [k, code] of codes) console.log(k.padEnd(28), 'zip', (zipSync({ 'index.js': [code, { level: 9 }] }).length / 1024).toFixed(0).padStart(5), 'code', (code.length / 1024).toFixed(0).padStart(5), 'init med', med(res.get(k)!).toFixed(0).padStart(5), 'min', Math.min(...res.get(k)!).toFixed(0).padStart(5));
})();
