import { buildEntry, lambdaEntry } from '../src/constructs/support/lambda-bundle';
const [name, filter] = process.argv.slice(2);
const m = buildEntry(lambdaEntry(name!), { metafile: true }).metafile!;
const out = Object.values(m.outputs)[0]!;
for (const [p, i] of Object.entries(out.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, 400)) if (p.includes(filter!)) console.log((i.bytesInOutput / 1024).toFixed(1).padStart(8), p);
