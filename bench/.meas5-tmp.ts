import { buildEntry, lambdaEntry } from '../src/constructs/support/lambda-bundle';
const [name, target] = process.argv.slice(2);
const m = buildEntry(lambdaEntry(name!), { metafile: true }).metafile!;
for (const [p, i] of Object.entries(m.inputs)) for (const imp of i.imports) if (imp.path.includes(target!)) console.log(p, '->', imp.path, imp.kind);
