import { buildEntry } from '../src/constructs/support/lambda-bundle';
import { bundleContents } from './bundle-contents';
for (const f of process.argv.slice(2)) { const b = buildEntry(f, { metafile: true }); const c = bundleContents(b.metafile!); console.log(f, (b.code.length/1024).toFixed(0), c.clients.join(','), c.byPackage.slice(0,5).map(([n,v])=>n+' '+(v/1024).toFixed(0)).join(', ')); }
