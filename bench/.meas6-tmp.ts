import { buildEntry, lambdaEntry } from '../src/constructs/support/lambda-bundle';
const [name] = process.argv.slice(2);
const m = buildEntry(lambdaEntry(name!), { metafile: true }).metafile!;
for (const [p, i] of Object.entries(m.inputs)) for (const imp of i.imports) if (imp.kind !== 'import-statement' && !imp.external) console.log(imp.kind, p, '->', imp.path);
