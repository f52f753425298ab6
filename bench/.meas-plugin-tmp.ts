import { buildSync, build, type Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
const plugin: Plugin = { name: 'schema-keys', setup(b) {
  b.onLoad({ filter: /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/].*schemas_\d+\.js$/ }, (args) => {
    const src = readFileSync(args.path, 'utf8');
    const consts = new Map<string, string>();
    for (const m of src.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)) consts.set(m[1]!, m[2]!);
    const out = src.replace(/([{,]\s*)\[(_\w+)\]:/g, (all, pre, id) => consts.has(id) ? `${pre}${consts.get(id)}:` : all);
    return { contents: out, loader: 'js' };
  });
}};
(async () => {
for (const name of ['waker', 'instance-hook', 'watchdog', 'failsafe', 'notifier']) {
  const r = await build({ entryPoints: [join('src/lambdas', name, 'handler.ts')], bundle: true, platform: 'node', target: 'node22', format: 'cjs', minify: true, sourcemap: false, legalComments: 'none', write: false, logLevel: 'error', loader: { '.sh': 'text' }, metafile: true, mainFields: ['module','main'], plugins: [plugin] });
  const code = r.outputFiles[0]!.contents;
  const zip = zipSync({ 'index.js': [code, { level: 9 }] });
  const out = Object.values(r.metafile!.outputs)[0]!;
  const byPkg = new Map<string, number>();
  for (const [p, i] of Object.entries(out.inputs)) {
    const m = p.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const k = m ? m[1]! : p.split('/').slice(0, 3).join('/');
    byPkg.set(k, (byPkg.get(k) ?? 0) + i.bytesInOutput);
  }
  console.log(name, 'zip', (zip.length / 1024).toFixed(0), 'code', (code.length / 1024).toFixed(0));
  for (const [k, b] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log('   ', k, (b / 1024).toFixed(1));
}
})();
