import { buildLambdaCode } from '../src/constructs/support/lambda-bundle';
import { execSync } from 'node:child_process';
for (let i = 0; i < 3; i++) buildLambdaCode('notifier');
setTimeout(() => { console.log(execSync(`ps -o pid,stat,args --ppid ${process.pid}`).toString()); }, 1500);
