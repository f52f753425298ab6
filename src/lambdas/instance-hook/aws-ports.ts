/**
 * The hook's ports implemented with AWS SDK v3 clients. Clients are created
 * on first use (importing this file needs no environment) and retry
 * throttling themselves; what still fails is thrown so EventBridge retries.
 */
import { AutoScalingClient, CompleteLifecycleActionCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ECSClient, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DisableRuleCommand, EnableRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ChangeResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { lazyClient } from '../shared/aws-clients';
import type { RuntimeGame, WatchdogState } from '../../runtime/contract';
import type { HookPorts, InstanceFacts } from './ports';

const autoScaling = lazyClient((c) => new AutoScalingClient(c));
const ec2 = lazyClient((c) => new EC2Client(c));
const ecs = lazyClient((c) => new ECSClient(c));
const eventBridge = lazyClient((c) => new EventBridgeClient(c));
const route53 = lazyClient((c) => new Route53Client(c));
const sns = lazyClient((c) => new SNSClient(c));
const ssm = lazyClient((c) => new SSMClient(c));

function errorName(e: unknown): string | undefined {
  return e instanceof Error ? e.name : undefined;
}

/** The container has exited (the world is saved) once a task reaches one of these. */
const EXITED_TASK_STATUSES: ReadonlySet<string> = new Set(['DEPROVISIONING', 'STOPPED', 'DELETED']);
const MISSING_SERVICE_ERRORS: ReadonlySet<string> = new Set([
  'ServiceNotFoundException',
  'ServiceNotActiveException',
  'ClusterNotFoundException',
]);
/** Auto Scaling answers these when the action was already completed, timed out, or its group is gone. */
const NO_ACTION_MESSAGE = /No active Lifecycle Action found|AutoScalingGroup name not found/i;

function parseWatchdogState(raw: string | undefined): WatchdogState | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<WatchdogState> | null;
    return typeof parsed?.instanceId === 'string' && typeof parsed.launchedAt === 'string' ? (parsed as WatchdogState) : undefined;
  } catch {
    return undefined; // unreadable state is as good as none: the launch writes a fresh one
  }
}

function instanceFacts(instance: Instance): InstanceFacts {
  const ipv6 =
    instance.Ipv6Address ??
    instance.NetworkInterfaces?.flatMap((ni) => ni.Ipv6Addresses ?? []).find((a) => a.IsPrimaryIpv6)?.Ipv6Address ??
    instance.NetworkInterfaces?.[0]?.Ipv6Addresses?.[0]?.Ipv6Address;
  return {
    ...(instance.PublicIpAddress ? { ipv4: instance.PublicIpAddress } : {}),
    ...(ipv6 ? { ipv6 } : {}),
    ...(instance.LaunchTime ? { launchTime: instance.LaunchTime } : {}),
  };
}

export function awsPorts(game: RuntimeGame, topicArn: string): HookPorts {
  const cluster = game.clusterName;
  const service = game.serviceName;

  async function listTaskArns(desiredStatus: 'RUNNING' | 'STOPPED'): Promise<string[]> {
    const out = await ecs().send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus, maxResults: 100 }));
    return out.taskArns ?? [];
  }

  return {
    async enableWatchdog() {
      await eventBridge().send(new EnableRuleCommand({ Name: game.watchdogRuleName }));
    },
    async disableWatchdog() {
      await eventBridge().send(new DisableRuleCommand({ Name: game.watchdogRuleName }));
    },
    async readWatchdogState() {
      try {
        const out = await ssm().send(new GetParameterCommand({ Name: game.stateParameterName }));
        return parseWatchdogState(out.Parameter?.Value);
      } catch (e) {
        if (errorName(e) === 'ParameterNotFound') return undefined;
        throw e;
      }
    },
    async writeWatchdogState(state) {
      await ssm().send(
        new PutParameterCommand({ Name: game.stateParameterName, Value: JSON.stringify(state), Type: 'String', Overwrite: true }),
      );
    },
    async startGame() {
      // The family name alone selects its newest ACTIVE revision: a deploy's new task definition starts here.
      await ecs().send(new UpdateServiceCommand({ cluster, service, taskDefinition: game.taskFamily, desiredCount: 1 }));
    },
    async stopGame() {
      try {
        await ecs().send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
        return 'stopping';
      } catch (e) {
        if (MISSING_SERVICE_ERRORS.has(errorName(e) ?? '')) return 'missing';
        throw e;
      }
    },
    async countUnstoppedTasks() {
      try {
        // Once the service is at 0 its tasks are desired STOPPED at once, but their container
        // may still be saving; only the task's last status says it has exited.
        const arns = [...(await listTaskArns('RUNNING')), ...(await listTaskArns('STOPPED'))];
        let unstopped = 0;
        for (let i = 0; i < arns.length; i += 100) {
          const out = await ecs().send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) }));
          unstopped += (out.tasks ?? []).filter((t) => !EXITED_TASK_STATUSES.has(t.lastStatus ?? '')).length;
        }
        return unstopped;
      } catch (e) {
        if (MISSING_SERVICE_ERRORS.has(errorName(e) ?? '')) return 0;
        throw e;
      }
    },
    async groupInstances() {
      const out = await autoScaling().send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [game.asgName] }));
      const group = out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === game.asgName);
      return (group?.Instances ?? []).flatMap((i) =>
        i.InstanceId ? [{ instanceId: i.InstanceId, lifecycleState: String(i.LifecycleState ?? '') }] : [],
      );
    },
    async describeInstance(instanceId) {
      try {
        const out = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
        const instance = out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
        return instance ? instanceFacts(instance) : undefined;
      } catch (e) {
        // EC2 is eventually consistent: a just-launched instance may be unknown for a moment.
        if (errorName(e) === 'InvalidInstanceID.NotFound') return undefined;
        throw e;
      }
    },
    async changeRecords(batch) {
      await route53().send(new ChangeResourceRecordSetsCommand({ HostedZoneId: game.hostedZoneId, ChangeBatch: batch }));
    },
    async completeLifecycleAction(action) {
      try {
        await autoScaling().send(
          new CompleteLifecycleActionCommand({
            AutoScalingGroupName: action.groupName,
            LifecycleHookName: action.hookName,
            LifecycleActionToken: action.token,
            InstanceId: action.instanceId,
            LifecycleActionResult: 'CONTINUE',
          }),
        );
        return 'completed';
      } catch (e) {
        if (errorName(e) === 'ValidationError' && NO_ACTION_MESSAGE.test((e as Error).message)) return 'already-done';
        throw e;
      }
    },
    async notify(subject, message) {
      // SNS subjects: at most 100 printable ASCII characters.
      const safeSubject = subject.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
      await sns().send(new PublishCommand({ TopicArn: topicArn, Subject: safeSubject, Message: message }));
    },
  };
}
