/** What players and the operator read: notices for each action, and the commands alerts suggest. */
import type { DecideConfig } from '../../../src/lambdas/watchdog/decide';
import { connectAddress, noticesFor, operatorCommands, type NoticeContext } from '../../../src/lambdas/watchdog/messages';

const CONFIG: DecideConfig = { idleMinutes: 10, startupMinutes: 15, maxHours: 8, stopAfterMaxHours: false };
const COMMANDS = operatorCommands({ asgName: 'gm-mc-asg', logGroupName: '/gm/mc' }, 'eu-west-1');
const CONTEXT: NoticeContext = {
  fqdn: 'mc.example.com',
  address: 'mc.example.com',
  everJoined: true,
  lastProbeError: 'Error: connect ECONNREFUSED 203.0.113.10:25565',
  config: CONFIG,
  commands: COMMANDS,
};

describe('notices', () => {
  it('ready: the seconds since the lookup, where they went, and where to connect', () => {
    expect(noticesFor([{ type: 'notify-ready', seconds: 74, from: 'lookup', phases: { instance: 31, image: 22, game: 21 } }], CONTEXT)).toEqual([
      { subject: 'ready mc.example.com in 74 s', message: 'mc.example.com is ready 74 s after your lookup (instance 31 s, image 22 s, game 21 s). Connect to mc.example.com.' },
    ]);
  });

  it('ready after a start no lookup asked for (`gm start`), or after a replacement launch, with the phases that were recorded', () => {
    const [start] = noticesFor([{ type: 'notify-ready', seconds: 60, from: 'start', phases: { game: 21 } }], CONTEXT);
    const [launch] = noticesFor([{ type: 'notify-ready', seconds: 45, from: 'launch', phases: {} }], CONTEXT);

    expect(start?.message).toBe('mc.example.com is ready 60 s after the start (game 21 s). Connect to mc.example.com.');
    expect(launch?.message).toBe('mc.example.com is ready 45 s after the launch. Connect to mc.example.com.');
  });

  it.each([
    [true, 'stopping mc.example.com: idle 12 min'],
    [false, 'stopping mc.example.com: nobody joined in 12 min'],
  ])('an idle stop (everJoined %s) says why, and how to start again', (everJoined, subject) => {
    expect(noticesFor([{ type: 'stop', reason: 'idle', minutes: 12 }], { ...CONTEXT, everJoined })).toEqual([
      { subject, message: `Stopping mc.example.com: ${subject.replace('stopping mc.example.com: ', '')}. A DNS lookup of mc.example.com starts it again.` },
    ]);
  });

  it('a stop the players did not cause carries the alert: the last error and the log command', () => {
    const [unreachable] = noticesFor([{ type: 'stop', reason: 'unreachable', minutes: 10 }], CONTEXT);
    const [neverReady] = noticesFor([{ type: 'stop', reason: 'never-ready', minutes: 15 }], CONTEXT);

    expect(unreachable).toEqual({
      subject: 'stopping mc.example.com: no answer for 10 min',
      message: 'mc.example.com did not answer the probe for 10 min (last error: Error: connect ECONNREFUSED 203.0.113.10:25565). '
        + 'Stopping it; see the game\'s log with: aws logs tail /gm/mc --follow --region eu-west-1',
    });
    expect(neverReady?.subject).toBe('stopping mc.example.com: not ready after 15 min');
    expect(neverReady?.message).toMatch(/^mc\.example\.com was not ready 15 min after launch \(startupMinutes 15\); last probe error: Error: connect ECONNREFUSED.*--follow --region eu-west-1$/);
  });

  it('max hours: an alert with the stop command while it keeps running; folded into the stop when it stops', () => {
    expect(noticesFor([{ type: 'max-hours', hours: 8, stopping: false }], CONTEXT)).toEqual([{
      subject: 'alert mc.example.com',
      message: 'mc.example.com has been up for 8 h (maxHours 8) and keeps running because stopAfterMaxHours is off; if nobody plays, stop it with: '
        + 'aws autoscaling set-desired-capacity --auto-scaling-group-name gm-mc-asg --desired-capacity 0 --region eu-west-1',
    }]);
    expect(noticesFor([{ type: 'max-hours', hours: 8, stopping: true }, { type: 'stop', reason: 'max-hours', minutes: 485 }], CONTEXT)).toEqual([
      { subject: 'stopping mc.example.com: up for 8 h 5 min', message: 'mc.example.com has been up for 8 h (maxHours 8); stopping it.' },
    ]);
  });

  it('suggest AWS CLI commands with the game\'s names (never `gm` commands that do not exist), with the region when known', () => {
    expect(COMMANDS).toEqual({
      stop: 'aws autoscaling set-desired-capacity --auto-scaling-group-name gm-mc-asg --desired-capacity 0 --region eu-west-1',
      logs: 'aws logs tail /gm/mc --follow --region eu-west-1',
    });
    expect(operatorCommands({ asgName: 'gm-mc-asg', logGroupName: '/gm/mc' }, undefined)).toEqual({
      stop: 'aws autoscaling set-desired-capacity --auto-scaling-group-name gm-mc-asg --desired-capacity 0',
      logs: 'aws logs tail /gm/mc --follow',
    });
  });

  it('the address players type: the name alone with an SRV record, name:port without', () => {
    expect(connectAddress({ fqdn: 'mc.example.com', srvName: '_minecraft._tcp.mc.example.com', ports: [{ port: 25565 }] })).toBe('mc.example.com');
    expect(connectAddress({ fqdn: 'vh.example.com', ports: [{ port: 2456 }] })).toBe('vh.example.com:2456');
  });
});
