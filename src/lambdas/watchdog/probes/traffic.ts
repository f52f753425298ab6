/**
 * The `traffic` probe, for games that answer no query: someone is playing
 * when the instance received at least `bytesPerMinute` in its latest minute
 * (EC2 detailed monitoring, which the launch template turns on for these games).
 * It can only tell "someone" (1) from "nobody" (0).
 */
import { GetMetricDataCommand, ScanBy } from '@aws-sdk/client-cloudwatch';
import { cloudWatch } from '../../shared/clients';
import { step } from '../../shared/steps';
import { probeFailure, type ProbeResult } from './probe-result';

export interface TrafficTarget {
  readonly instanceId: string;
  readonly bytesPerMinute: number;
}

const MINUTE_MS = 60_000;
/** Detailed-monitoring datapoints arrive a minute or two late: look back far enough to find the latest. */
const LOOKBACK_MINUTES = 3;

export async function probeByTraffic(target: TrafficTarget, now: Date): Promise<ProbeResult> {
  const started = performance.now();
  // End at the start of the current minute: the running minute's sum is
  // still growing and would read as too little traffic.
  const end = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
  try {
    const out = await step('read network traffic', () => cloudWatch().send(new GetMetricDataCommand({
      StartTime: new Date(end.getTime() - LOOKBACK_MINUTES * MINUTE_MS),
      EndTime: end,
      ScanBy: ScanBy.TIMESTAMP_DESCENDING,
      MetricDataQueries: [{
        Id: 'networkIn',
        ReturnData: true,
        MetricStat: {
          Metric: { Namespace: 'AWS/EC2', MetricName: 'NetworkIn', Dimensions: [{ Name: 'InstanceId', Value: target.instanceId }] },
          Period: 60,
          Stat: 'Sum',
        },
      }],
    })));
    const series = out.MetricDataResults?.find((r) => r.Id === 'networkIn');
    const points = (series?.Timestamps ?? [])
      .map((at, i) => ({ at: at.getTime(), bytes: series?.Values?.[i] }))
      .filter((p): p is { at: number; bytes: number } => typeof p.bytes === 'number')
      .sort((a, b) => b.at - a.at);
    const latest = points[0];
    if (!latest) {
      return { ok: false, error: `no NetworkIn datapoints yet for ${target.instanceId} (detailed monitoring sends them a minute or two after launch)` };
    }
    return { ok: true, players: latest.bytes >= target.bytesPerMinute ? 1 : 0, latencyMs: Math.round(performance.now() - started) };
  } catch (e) {
    return probeFailure(e);
  }
}
