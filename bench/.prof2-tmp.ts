import { build, type Plugin } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_OPTIONS } from '../src/constructs/support/lambda-bundle';
const schema: Plugin = { name: 'x', setup(b) { b.onLoad({ filter: /[\\/]@aws-sdk[\\/].*[\\/]schemas[\\/]schemas_\d+\.js$/ }, (args) => {
  const source = readFileSync(args.path, 'utf8'); const constants = new Map<string,string>();
  for (const m of source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)) constants.set(m[1]!, m[2]!);
  return { contents: source.replace(/([{,]\s*)\[(_\w+)\]:/g, (all, before, id) => (constants.has(id) ? before + constants.get(id) + ':' : all)), loader: 'js' };
}); } };
const envOnly: Plugin = { name: 'y', setup(b) { b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({ path: join(__dirname, '.tmpx/env-only-provider.js') })); } };
const [entry, out, variant] = process.argv.slice(2);
build({ ...BUNDLE_OPTIONS, entryPoints: [entry!], write: false, minify: process.env.DEV ? false : true, plugins: variant === 'env' ? [schema, envOnly] : [schema] }).then((r) => { writeFileSync(out!, r.outputFiles[0]!.contents); console.log(out, r.outputFiles[0]!.contents.length); });
