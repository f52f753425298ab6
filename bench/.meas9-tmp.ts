import { buildEntry } from '../src/constructs/support/lambda-bundle';
const [entry, filter] = process.argv.slice(2);
const m = buildEntry(entry!, { metafile: true }).metafile!;
const out = Object.values(m.outputs)[0]!;
for (const [p, i] of Object.entries(out.inputs).filter(([p, i]) => p.includes(filter!) && i.bytesInOutput > 1500).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) console.log((i.bytesInOutput / 1024).toFixed(1).padStart(6), p.replace('node_modules/', ''));
