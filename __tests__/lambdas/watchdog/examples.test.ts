import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scheduledEvent } from '../../support/events';

describe('the sample event `gm lambda watchdog` is shown with', () => {
  it('is the schedule event EventBridge sends, field for field', () => {
    const sample = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'examples', 'events', 'watchdog-schedule.json'), 'utf8')) as Record<string, unknown>;
    const fixture = scheduledEvent();
    expect(Object.keys(sample).sort()).toEqual(Object.keys(fixture).sort());
    expect(sample).toMatchObject({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
    expect(sample.resources).toEqual([expect.stringMatching(/^arn:aws:events:[a-z0-9-]+:\d{12}:rule\/gm-mc-watchdog-schedule$/)]);
  });
});
