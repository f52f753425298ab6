import { Worker } from 'node:worker_threads';
const orig = Worker;
(require('node:worker_threads') as any).Worker = function (src: string, opts: any) { require('fs').writeFileSync('/tmp/prof/plugins.js', 'module.exports = ' + opts.workerData.pluginsSource); return new orig(src, opts); };
const { buildEntry } = require('../src/constructs/support/lambda-bundle');
try { buildEntry('bench/fixtures/bare-handler.ts'); } catch (e) { console.log(String(e).slice(0, 100)); }
