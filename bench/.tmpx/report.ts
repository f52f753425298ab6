export function printTraceReport(): void { console.log('  trace: ok'); }
