/*
 * Runs in a fresh node process, as Lambda would: loads the bundle, then makes
 * the first call. Usage: node cold-start-child.cjs <index.js> <event.json> <result.json>
 * Writes {loadMs, callMs, cpuMs, outcome, rssMiB} to result.json (stdout belongs to the function's logs);
 * cpuMs is the process's CPU time (user + system) over load and call, which a busy machine moves less than the wall clock.
 */
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { performance } = require('node:perf_hooks');

const [bundle, eventFile, resultFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = {
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  awsRequestId: '00000000-0000-4000-8000-00000000beef',
  logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
  logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60000,
  done() {},
  fail() {},
  succeed() {},
};

function describe(value) {
  if (value instanceof Error) return `threw ${value.name}: ${value.message}`.slice(0, 160);
  return 'returned';
}

(async () => {
  const cpuBefore = process.cpuUsage();
  const beforeLoad = performance.now();
  let outcome = 'returned';
  let callMs = 0;
  let loadMs;
  try {
    const mod = require(bundle);
    loadMs = performance.now() - beforeLoad;
    const beforeCall = performance.now();
    try {
      await mod.handler(event, context);
    } catch (e) {
      outcome = describe(e);
    }
    callMs = performance.now() - beforeCall;
  } catch (e) {
    loadMs = performance.now() - beforeLoad;
    outcome = `load ${describe(e)}`;
  }
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  writeFileSync(resultFile, JSON.stringify({ loadMs, callMs, cpuMs, outcome, rssMiB: process.memoryUsage().rss / 1048576 }));
  // Lambda freezes the process after the call; timers the function left behind must not hold the bench.
  process.exit(0);
})();
