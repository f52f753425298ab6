import { buildEntry } from '../src/constructs/support/lambda-bundle';
const [entry, filter, n] = process.argv.slice(2);
const m = buildEntry(entry!, { metafile: true }).metafile!;
const out = Object.values(m.outputs)[0]!;
const rows = Object.entries(out.inputs).filter(([p]) => p.includes(filter ?? '')).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
// group by dir (3 levels beyond package)
const g = new Map<string, number>();
for (const [p, i] of rows) { const k = p.replace(/^node_modules\//, '').split('/').slice(0, 5).join('/'); g.set(k, (g.get(k) ?? 0) + i.bytesInOutput); }
for (const [k, v] of [...g].sort((a, b) => b[1] - a[1]).slice(0, Number(n ?? 30))) console.log((v / 1024).toFixed(1).padStart(7), k);
