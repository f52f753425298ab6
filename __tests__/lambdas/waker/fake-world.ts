/**
 * The part of AWS the waker touches, in memory, behind aws-sdk-client-mock:
 * SSM parameters (PutParameter with Overwrite false is atomic, as in SSM),
 * Auto Scaling groups (desired capacity and instances) and the SNS messages
 * published. Every call yields to the event loop first, so two invocations
 * run at once really interleave. Faults are queued per command and thrown
 * instead of the answer, the way the SDK throws after its retries.
 */
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
  type AutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError } from '../../support/aws-errors';
import { ParameterStore } from '../../support/parameter-store';

export const ssmMock = mockClient(SSMClient);
export const autoScalingMock = mockClient(AutoScalingClient);
export const snsMock = mockClient(SNSClient);

export type FaultableCommand = 'GetParameter' | 'PutParameter' | 'DeleteParameter' | 'DescribeAutoScalingGroups' | 'SetDesiredCapacity' | 'Publish';

export interface FakeGroup {
  desired: number;
  instances: { readonly instanceId: string; readonly lifecycleState: string }[];
}

export interface Call {
  readonly command: FaultableCommand;
  readonly region: string;
  readonly input: Record<string, unknown>;
  /** False when a queued fault answered it. */
  readonly ok: boolean;
}

export class FakeWorld {
  readonly parameters = new ParameterStore();
  readonly groups = new Map<string, FakeGroup>();
  readonly published: { readonly region: string; readonly TopicArn: string; readonly Subject?: string; readonly Message: string }[] = [];
  readonly calls: Call[] = [];
  /** The most calls that were in flight at once. */
  maxInFlight = 0;
  private inFlight = 0;
  private readonly faults = new Map<FaultableCommand, { error: () => Error; times: number; when?: (input: Record<string, unknown>) => boolean }[]>();

  constructor() {
    ssmMock.reset();
    autoScalingMock.reset();
    snsMock.reset();
    ssmMock.on(GetParameterCommand).callsFake((input, client) => this.handle('GetParameter', input, client, () => this.parameters.getParameter(input)));
    ssmMock.on(PutParameterCommand).callsFake((input, client) => this.handle('PutParameter', input, client, () => this.parameters.putParameter(input)));
    ssmMock.on(DeleteParameterCommand).callsFake((input, client) => this.handle('DeleteParameter', input, client, () => this.parameters.deleteParameter(input)));
    autoScalingMock.on(DescribeAutoScalingGroupsCommand).callsFake((input, client) =>
      this.handle('DescribeAutoScalingGroups', input, client, () => {
        const names = (input.AutoScalingGroupNames ?? []) as string[];
        return {
          AutoScalingGroups: names.flatMap((name): AutoScalingGroup[] => {
            const group = this.groups.get(name);
            if (!group) return [];
            return [
              {
                AutoScalingGroupName: name,
                DesiredCapacity: group.desired,
                MinSize: 0,
                MaxSize: 1,
                Instances: group.instances.map((i) => ({
                  InstanceId: i.instanceId,
                  LifecycleState: i.lifecycleState,
                  AvailabilityZone: 'eu-central-1a',
                  HealthStatus: 'Healthy',
                  ProtectedFromScaleIn: false,
                })),
              } as Partial<AutoScalingGroup> as AutoScalingGroup,
            ];
          }),
        };
      }),
    );
    autoScalingMock.on(SetDesiredCapacityCommand).callsFake((input, client) =>
      this.handle('SetDesiredCapacity', input, client, () => {
        const group = this.groups.get(String(input.AutoScalingGroupName));
        if (!group) throw awsError('ValidationError', `AutoScalingGroup name not found - ${String(input.AutoScalingGroupName)}`);
        group.desired = Number(input.DesiredCapacity);
        return {};
      }),
    );
    snsMock.on(PublishCommand).callsFake((input, client) =>
      this.handle('Publish', input, client, (region) => {
        this.published.push({ region, TopicArn: String(input.TopicArn), Subject: input.Subject as string | undefined, Message: String(input.Message) });
        return { MessageId: `m-${this.published.length}` };
      }),
    );
  }

  /** A stopped game: its group at 0 with no instance. */
  stopped(asgName: string): this {
    this.groups.set(asgName, { desired: 0, instances: [] });
    return this;
  }

  /** A running game: its group at 1 with one instance InService, and its session. */
  running(asgName: string, sessionParameterName: string): this {
    this.groups.set(asgName, { desired: 1, instances: [{ instanceId: 'i-0running', lifecycleState: 'InService' }] });
    this.parameters.set(sessionParameterName, JSON.stringify({ startedAt: '2024-05-01T09:00:00.000Z', source: 'lookup' }));
    return this;
  }

  /** A game whose host is stopping: group at 0, instance in `state`, the session still there. */
  stopping(asgName: string, sessionParameterName: string, state = 'Terminating:Wait'): this {
    this.groups.set(asgName, { desired: 0, instances: [{ instanceId: 'i-0stopping', lifecycleState: state }] });
    this.parameters.set(sessionParameterName, JSON.stringify({ startedAt: '2024-05-01T08:00:00.000Z', source: 'lookup' }));
    return this;
  }

  /** The next `times` calls of `command` (matching `when`, if given) throw `error()` instead of answering. */
  fail(command: FaultableCommand, error: () => Error, times = 1, when?: (input: Record<string, unknown>) => boolean): this {
    const list = this.faults.get(command) ?? [];
    list.push({ error, times, ...(when ? { when } : {}) });
    this.faults.set(command, list);
    return this;
  }

  callsOf(command: FaultableCommand): Call[] {
    return this.calls.filter((c) => c.command === command);
  }

  /** SetDesiredCapacity calls that took effect, as `<group> <capacity>`. */
  scaled(): string[] {
    return this.callsOf('SetDesiredCapacity').filter((c) => c.ok).map((c) => `${String(c.input.AutoScalingGroupName)} ${String(c.input.DesiredCapacity)}`);
  }

  private async handle<T>(
    command: FaultableCommand,
    input: Record<string, unknown>,
    getClient: () => { config: { region: () => Promise<string> } },
    answer: (region: string) => T,
  ): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const region = await getClient().config.region();
      // Let other invocations in flight take their turn, as real network calls would.
      await new Promise((resolve) => setImmediate(resolve));
      return this.answer(command, region, input, answer);
    } finally {
      this.inFlight--;
    }
  }

  private answer<T>(command: FaultableCommand, region: string, input: Record<string, unknown>, answer: (region: string) => T): T {
    const faults = this.faults.get(command) ?? [];
    const fault = faults.find((f) => f.times > 0 && (!f.when || f.when(input)));
    this.calls.push({ command, region, input, ok: !fault });
    if (fault) {
      fault.times--;
      throw fault.error();
    }
    return answer(region);
  }
}
