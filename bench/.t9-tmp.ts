import { join } from 'node:path';
(async () => { const file = join(__dirname, '.tmpx', 'report.ts'); const r = (await import(file)) as { printTraceReport?: () => unknown }; console.log(typeof r.printTraceReport); await r.printTraceReport?.(); })();
