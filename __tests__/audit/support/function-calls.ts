/**
 * The AWS calls each function makes, with the resource each is made on and
 * the request context IAM sees, built from what the function really uses:
 * its environment as synthesized (GM_GAME: the names of its game's
 * resources), the runtime names of src/runtime/names.ts and ARN formats of
 * src/runtime/arns.ts. Which calls its code makes comes from the code itself
 * (sdkCalls, esbuild's view of the handler); a call with no entry here
 * fails the evaluation, so a new call cannot go unchecked.
 */
import { ASSIGNED } from '../../../src/audit/arns';
import { autoScalingGroupArn, parameterArn, type ArnScope } from '../../../src/runtime/arns';
import { gameResourceNames } from '../../../src/runtime/names';
import { DEPLOYMENT_TAG } from '../../../src/constructs/support/naming';
import type { Config } from '../../../src/config/resolve';

export interface Call {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

/** What a game function knows of its game (GM_GAME), as far as the calls need it. */
export interface GameView {
  readonly id: string;
  readonly fqdn: string;
  readonly hostedZoneId?: string;
  readonly ipv6?: boolean;
  readonly asgName: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly watchdogRuleName: string;
  readonly stateParameterName: string;
  readonly sessionParameterName?: string;
  readonly pendingWakeParameterName?: string;
  readonly connectionsDocumentName?: string;
  readonly probe?: { readonly type: string };
  readonly spot?: boolean;
}

export interface FunctionUnderTest {
  readonly entry: 'waker' | 'watchdog' | 'failsafe' | 'instance-hook' | 'notifier';
  readonly functionName: string;
  /** Where the function runs (the waker: us-east-1). */
  readonly region: string;
  readonly game?: GameView;
  readonly topicArn?: string;
  readonly discordParameter?: string;
  /** The function its failures go to, or the topic (Lambda delivers with the function's role). */
  readonly failureDestination?: { readonly action: 'lambda:InvokeFunction' | 'sns:Publish'; readonly arn: string };
}

/** Ids AWS assigns at run time, in their documented formats. */
const INSTANCE_ID = 'i-0123456789abcdef0';
const CONTAINER_INSTANCE_ID = '0123456789abcdef0123456789abcdef';
const TASK_ID = 'fedcba9876543210fedcba9876543210';
/** The group's id: the one its Terraform `arn` holds in the resolved policies (one group, one id). */
const ASG_UUID = ASSIGNED.autoScalingGroupId;

type Resolver = (fn: FunctionUnderTest, config: Config, scope: ArnScope) => Call[];

function gameOf(fn: FunctionUnderTest): GameView {
  if (!fn.game) throw new Error(`${fn.functionName} has no GM_GAME`);
  return fn.game;
}

const at = (action: string, resource: string, context?: Call['context']): Call => ({ action, resource, ...(context ? { context } : {}) });

/** Real ARNs of one game's resources in the game region (the group's with an id AWS would give it). */
function arnsOf(game: GameView, scope: ArnScope) {
  const ecs = (kind: string, id: string) => `arn:${scope.partition}:ecs:${scope.region}:${scope.account}:${kind}/${game.clusterName}/${id}`;
  return {
    group: autoScalingGroupArn(scope, game.asgName).replace(':*:', `:${ASG_UUID}:`),
    cluster: `arn:${scope.partition}:ecs:${scope.region}:${scope.account}:cluster/${game.clusterName}`,
    service: ecs('service', game.serviceName),
    task: ecs('task', TASK_ID),
    containerInstance: ecs('container-instance', CONTAINER_INSTANCE_ID),
    rule: `arn:${scope.partition}:events:${scope.region}:${scope.account}:rule/${game.watchdogRuleName}`,
    state: parameterArn(scope, game.stateParameterName),
    session: parameterArn(scope, game.sessionParameterName ?? ''),
    pendingWake: parameterArn(scope, game.pendingWakeParameterName ?? ''),
    zone: `arn:${scope.partition}:route53:::hostedzone/${game.hostedZoneId ?? ''}`,
    instance: `arn:${scope.partition}:ec2:${scope.region}:${scope.account}:instance/${INSTANCE_ID}`,
    document: `arn:${scope.partition}:ssm:${scope.region}:${scope.account}:document/${game.connectionsDocumentName ?? ''}`,
  };
}

const topic = (fn: FunctionUnderTest): Call[] => [at('sns:Publish', fn.topicArn ?? '(no GM_TOPIC_ARN)')];

/** Reading a group also reads its warm pool, when the game has one (the waker reads every game's group). */
const warmPool: Resolver = (fn, config) => (config.games.some((g) => g.warmPool && (fn.game === undefined || g.id === fn.game.id))
  ? [at('autoscaling:DescribeWarmPool', '*')] : []);

/** Per function, per IAM action its code calls: the calls it makes. An empty list: this game never makes it. */
export const CALLS: Readonly<Record<FunctionUnderTest['entry'], Readonly<Record<string, Resolver>>>> = {
  waker: {
    'autoscaling:DescribeAutoScalingGroups': () => [at('autoscaling:DescribeAutoScalingGroups', '*')],
    'autoscaling:DescribeWarmPool': warmPool,
    // Any game of the deployment: the group carries the deployment's default tag.
    'autoscaling:SetDesiredCapacity': (_fn, config, scope) => config.games.map((g) =>
      at('autoscaling:SetDesiredCapacity', autoScalingGroupArn(scope, gameResourceNames(config.name, g.id).asg).replace(':*:', `:${ASG_UUID}:`),
        { [`aws:ResourceTag/${DEPLOYMENT_TAG}`]: config.name })),
    'ssm:GetParameter': (_fn, config, scope) => config.games.flatMap((g) => {
      const names = gameResourceNames(config.name, g.id);
      return [at('ssm:GetParameter', parameterArn(scope, names.sessionParameter)), at('ssm:GetParameter', parameterArn(scope, names.pendingWakeParameter))];
    }),
    'ssm:PutParameter': (_fn, config, scope) => config.games.flatMap((g) => {
      const names = gameResourceNames(config.name, g.id);
      return [at('ssm:PutParameter', parameterArn(scope, names.sessionParameter)), at('ssm:PutParameter', parameterArn(scope, names.pendingWakeParameter))];
    }),
    'ssm:DeleteParameter': (_fn, config, scope) => config.games.flatMap((g) => {
      const names = gameResourceNames(config.name, g.id);
      return [at('ssm:DeleteParameter', parameterArn(scope, names.sessionParameter)), at('ssm:DeleteParameter', parameterArn(scope, names.pendingWakeParameter))];
    }),
    'sns:Publish': topic,
  },
  watchdog: {
    'autoscaling:DescribeAutoScalingGroups': () => [at('autoscaling:DescribeAutoScalingGroups', '*')],
    'autoscaling:DescribeWarmPool': warmPool,
    'autoscaling:SetDesiredCapacity': (fn, _c, scope) => [at('autoscaling:SetDesiredCapacity', arnsOf(gameOf(fn), scope).group)],
    'ssm:GetParameter': (fn, _c, scope) => [at('ssm:GetParameter', arnsOf(gameOf(fn), scope).state), at('ssm:GetParameter', arnsOf(gameOf(fn), scope).session)],
    'ssm:PutParameter': (fn, _c, scope) => [at('ssm:PutParameter', arnsOf(gameOf(fn), scope).state)],
    // Run Command only for a game counted by connections, on its document and its own host (tagged with the game).
    'ssm:SendCommand': (fn, _c, scope) => (gameOf(fn).probe?.type !== 'connections' ? [] : [
      at('ssm:SendCommand', arnsOf(gameOf(fn), scope).document),
      at('ssm:SendCommand', arnsOf(gameOf(fn), scope).instance, { 'ssm:resourceTag/gm:game': gameOf(fn).id }),
    ]),
    'ssm:GetCommandInvocation': (fn) => (gameOf(fn).probe?.type !== 'connections' ? [] : [at('ssm:GetCommandInvocation', '*')]),
    'cloudwatch:GetMetricData': (fn) => (gameOf(fn).probe?.type !== 'traffic' ? [] : [at('cloudwatch:GetMetricData', '*')]),
    'ecs:DescribeServices': (fn, _c, scope) => [at('ecs:DescribeServices', arnsOf(gameOf(fn), scope).service)],
    // Finds the host of the game's running task, in the game's own cluster.
    'ecs:ListTasks': (fn, _c, scope) => [at('ecs:ListTasks', '*', { 'ecs:cluster': arnsOf(gameOf(fn), scope).cluster })],
    'ecs:DescribeTasks': (fn, _c, scope) => [at('ecs:DescribeTasks', arnsOf(gameOf(fn), scope).task)],
    'ecs:DescribeContainerInstances': (fn, _c, scope) => [at('ecs:DescribeContainerInstances', arnsOf(gameOf(fn), scope).containerInstance,
      { 'ecs:cluster': arnsOf(gameOf(fn), scope).cluster })],
    'events:DisableRule': (fn, _c, scope) => [at('events:DisableRule', arnsOf(gameOf(fn), scope).rule)],
    'route53:ListResourceRecordSets': (fn, _c, scope) => [at('route53:ListResourceRecordSets', arnsOf(gameOf(fn), scope).zone)],
    'sns:Publish': topic,
  },
  failsafe: {
    'autoscaling:DescribeAutoScalingGroups': () => [at('autoscaling:DescribeAutoScalingGroups', '*')],
    'autoscaling:DescribeWarmPool': warmPool,
    'ec2:DescribeInstances': () => [at('ec2:DescribeInstances', '*')],
    'autoscaling:SetDesiredCapacity': (fn, _c, scope) => [at('autoscaling:SetDesiredCapacity', arnsOf(gameOf(fn), scope).group)],
    'ssm:GetParameter': (fn, _c, scope) => [at('ssm:GetParameter', arnsOf(gameOf(fn), scope).state)],
    'ssm:PutParameter': (fn, _c, scope) => [at('ssm:PutParameter', arnsOf(gameOf(fn), scope).state)],
    'ecs:ListTasks': (fn, _c, scope) => [at('ecs:ListTasks', '*', { 'ecs:cluster': arnsOf(gameOf(fn), scope).cluster })],
    'ecs:DescribeTasks': (fn, _c, scope) => [at('ecs:DescribeTasks', arnsOf(gameOf(fn), scope).task)],
    'events:DescribeRule': (fn, _c, scope) => [at('events:DescribeRule', arnsOf(gameOf(fn), scope).rule)],
    'sns:Publish': topic,
  },
  'instance-hook': {
    'autoscaling:DescribeAutoScalingGroups': () => [at('autoscaling:DescribeAutoScalingGroups', '*')],
    'autoscaling:DescribeWarmPool': warmPool,
    'ec2:DescribeInstances': () => [at('ec2:DescribeInstances', '*')],
    'autoscaling:CompleteLifecycleAction': (fn, _c, scope) => [at('autoscaling:CompleteLifecycleAction', arnsOf(gameOf(fn), scope).group)],
    'autoscaling:SetDesiredCapacity': (fn, _c, scope) => [at('autoscaling:SetDesiredCapacity', arnsOf(gameOf(fn), scope).group)],
    // Only a spot game falls back to on-demand capacity.
    'autoscaling:UpdateAutoScalingGroup': (fn, _c, scope) => (gameOf(fn).spot ? [at('autoscaling:UpdateAutoScalingGroup', arnsOf(gameOf(fn), scope).group)] : []),
    'events:EnableRule': (fn, _c, scope) => [at('events:EnableRule', arnsOf(gameOf(fn), scope).rule)],
    'events:DisableRule': (fn, _c, scope) => [at('events:DisableRule', arnsOf(gameOf(fn), scope).rule)],
    'ssm:GetParameter': (fn, _c, scope) => ['state', 'session', 'pendingWake'].map((p) => at('ssm:GetParameter', arnsOf(gameOf(fn), scope)[p as 'state'])),
    'ssm:PutParameter': (fn, _c, scope) => ['state', 'session', 'pendingWake'].map((p) => at('ssm:PutParameter', arnsOf(gameOf(fn), scope)[p as 'state'])),
    'ssm:DeleteParameter': (fn, _c, scope) => ['session', 'pendingWake'].map((p) => at('ssm:DeleteParameter', arnsOf(gameOf(fn), scope)[p as 'session'])),
    'ecs:UpdateService': (fn, _c, scope) => [at('ecs:UpdateService', arnsOf(gameOf(fn), scope).service)],
    'ecs:ListContainerInstances': (fn, _c, scope) => [at('ecs:ListContainerInstances', arnsOf(gameOf(fn), scope).cluster)],
    'ecs:UpdateContainerInstancesState': (fn, _c, scope) => [at('ecs:UpdateContainerInstancesState', arnsOf(gameOf(fn), scope).containerInstance,
      { 'ecs:cluster': arnsOf(gameOf(fn), scope).cluster })],
    'ecs:ListTasks': (fn, _c, scope) => [at('ecs:ListTasks', '*', { 'ecs:cluster': arnsOf(gameOf(fn), scope).cluster })],
    'ecs:DescribeTasks': (fn, _c, scope) => [at('ecs:DescribeTasks', arnsOf(gameOf(fn), scope).task)],
    // DNS → the new host (A, and AAAA for IPv6 games), by UPSERT of its own name only.
    'route53:ChangeResourceRecordSets': (fn, _c, scope) => (gameOf(fn).ipv6 ? ['A', 'AAAA'] : ['A']).map((type) =>
      at('route53:ChangeResourceRecordSets', arnsOf(gameOf(fn), scope).zone, {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': [gameOf(fn).fqdn],
        'route53:ChangeResourceRecordSetsRecordTypes': [type],
        'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
      })),
    'sns:Publish': topic,
  },
  notifier: {
    'ssm:GetParameter': (fn, config, scope) => [at('ssm:GetParameter', parameterArn({ ...scope, region: config.region }, fn.discordParameter ?? '(no GM_DISCORD_PARAMETER)'))],
  },
};

/** Lambda writes each function's logs and delivers its final failures with the function's own role. */
export function platformCalls(fn: FunctionUnderTest, scope: ArnScope): Call[] {
  const stream = `arn:${scope.partition}:logs:${fn.region}:${scope.account}:log-group:/aws/lambda/${fn.functionName}:log-stream:2026/11/30/[$LATEST]0123456789abcdef0123456789abcdef`;
  return [
    at('logs:CreateLogStream', stream),
    at('logs:PutLogEvents', stream),
    ...(fn.failureDestination ? [at(fn.failureDestination.action, fn.failureDestination.arn)] : []),
  ];
}
