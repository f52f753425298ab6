import { build, type Plugin } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { BUNDLE_OPTIONS } from '../src/constructs/support/lambda-bundle';
const plugin: Plugin = { name: 'x', setup(b) { b.onLoad({ filter: /[\\/]@aws-sdk[\\/].*[\\/]schemas[\\/]schemas_\d+\.js$/ }, (args) => {
  const source = readFileSync(args.path, 'utf8'); const constants = new Map<string,string>();
  for (const m of source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)) constants.set(m[1]!, m[2]!);
  return { contents: source.replace(/([{,]\s*)\[(_\w+)\]:/g, (all, before, id) => (constants.has(id) ? before + constants.get(id) + ':' : all)), loader: 'js' };
}); } };
const [entry, out] = process.argv.slice(2);
build({ ...BUNDLE_OPTIONS, entryPoints: [entry!], minify: false, write: false, plugins: [plugin] }).then((r) => writeFileSync(out!, r.outputFiles[0]!.contents));
