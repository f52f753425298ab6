import '../powertools-env';
import { runTrace, type RunOptions } from '../traces/runner';
import { loadTraces } from '../traces/trace';
const variants: Record<string, RunOptions> = {
  dup: { duplicateEventsAfterMs: 20_000 },
  dupLate: { duplicateEventsAfterMs: 400_000 },
  dupFast: { duplicateEventsAfterMs: 0 },
  conc: { concurrentWakers: true },
  lateLaunch: { eventDelayMs: (e) => (e['detail-type'].includes('launch') ? 90_000 : 1000) },
  lateTerminate: { eventDelayMs: (e) => (e['detail-type'].includes('terminate') ? 200_000 : 1000) },
  lateSpot: { eventDelayMs: (e) => (e.source === 'aws.ec2' ? 100_000 : 1000) },
};
it('delivery', async () => {
  for (const t of loadTraces()) {
    for (const [name, opts] of Object.entries(variants)) {
      const r = await runTrace(t, opts);
      if (r.violations.length || r.errors.length || r.starts !== r.stops) console.log(`${t.name} ${name}: starts ${r.starts} stops ${r.stops} restarts ${r.restartsAfterStop}\n  V ${r.violations.join('\n  V ')}\n  E ${r.errors.join('\n  E ')}\n  N ${r.notices.join(' | ')}`);
    }
  }
}, 1200000);
