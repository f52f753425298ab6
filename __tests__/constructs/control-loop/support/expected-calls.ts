/**
 * What each function's code calls, read from the code it reaches (`new
 * XCommand(` in its own files and in the parts of src/lambdas/shared it
 * uses, see lambda-sources.ts), with the IAM action each call needs. The
 * least-privilege tests check every action is granted and nothing else is;
 * the source test fails when the code starts (or stops) calling a command, so
 * this list — and the construct's policy — must be updated with it.
 */
export const EXPECTED_CALLS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  waker: {
    DescribeAutoScalingGroupsCommand: 'autoscaling:DescribeAutoScalingGroups',
    DescribeWarmPoolCommand: 'autoscaling:DescribeWarmPool',
    SetDesiredCapacityCommand: 'autoscaling:SetDesiredCapacity',
    GetParameterCommand: 'ssm:GetParameter',
    PutParameterCommand: 'ssm:PutParameter',
    DeleteParameterCommand: 'ssm:DeleteParameter',
    PublishCommand: 'sns:Publish',
  },
  watchdog: {
    DescribeAutoScalingGroupsCommand: 'autoscaling:DescribeAutoScalingGroups',
    DescribeWarmPoolCommand: 'autoscaling:DescribeWarmPool',
    SetDesiredCapacityCommand: 'autoscaling:SetDesiredCapacity',
    GetParameterCommand: 'ssm:GetParameter',
    PutParameterCommand: 'ssm:PutParameter',
    SendCommandCommand: 'ssm:SendCommand',
    GetCommandInvocationCommand: 'ssm:GetCommandInvocation',
    GetMetricDataCommand: 'cloudwatch:GetMetricData',
    DescribeServicesCommand: 'ecs:DescribeServices',
    // The start's timeline: the running task's and its host's registration times.
    ListTasksCommand: 'ecs:ListTasks',
    DescribeTasksCommand: 'ecs:DescribeTasks',
    DescribeContainerInstancesCommand: 'ecs:DescribeContainerInstances',
    DisableRuleCommand: 'events:DisableRule',
    ListResourceRecordSetsCommand: 'route53:ListResourceRecordSets',
    PublishCommand: 'sns:Publish',
  },
  failsafe: {
    DescribeAutoScalingGroupsCommand: 'autoscaling:DescribeAutoScalingGroups',
    DescribeWarmPoolCommand: 'autoscaling:DescribeWarmPool',
    DescribeInstancesCommand: 'ec2:DescribeInstances',
    SetDesiredCapacityCommand: 'autoscaling:SetDesiredCapacity',
    GetParameterCommand: 'ssm:GetParameter',
    // Records the stop it makes (reason failsafe) in the watchdog's state.
    PutParameterCommand: 'ssm:PutParameter',
    ListTasksCommand: 'ecs:ListTasks',
    DescribeTasksCommand: 'ecs:DescribeTasks',
    DescribeRuleCommand: 'events:DescribeRule',
    PublishCommand: 'sns:Publish',
  },
  'instance-hook': {
    DescribeAutoScalingGroupsCommand: 'autoscaling:DescribeAutoScalingGroups',
    DescribeWarmPoolCommand: 'autoscaling:DescribeWarmPool',
    DescribeInstancesCommand: 'ec2:DescribeInstances',
    CompleteLifecycleActionCommand: 'autoscaling:CompleteLifecycleAction',
    SetDesiredCapacityCommand: 'autoscaling:SetDesiredCapacity',
    UpdateAutoScalingGroupCommand: 'autoscaling:UpdateAutoScalingGroup',
    EnableRuleCommand: 'events:EnableRule',
    DisableRuleCommand: 'events:DisableRule',
    GetParameterCommand: 'ssm:GetParameter',
    PutParameterCommand: 'ssm:PutParameter',
    DeleteParameterCommand: 'ssm:DeleteParameter',
    UpdateServiceCommand: 'ecs:UpdateService',
    ListContainerInstancesCommand: 'ecs:ListContainerInstances',
    UpdateContainerInstancesStateCommand: 'ecs:UpdateContainerInstancesState',
    ListTasksCommand: 'ecs:ListTasks',
    DescribeTasksCommand: 'ecs:DescribeTasks',
    ChangeResourceRecordSetsCommand: 'route53:ChangeResourceRecordSets',
    PublishCommand: 'sns:Publish',
  },
  notifier: {
    GetParameterCommand: 'ssm:GetParameter',
  },
};

/**
 * Actions a function's code may call but its role gets only for some games:
 * the instance hook raises the on-demand base capacity of spot groups only.
 */
export const SPOT_ONLY_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'instance-hook': ['autoscaling:UpdateAutoScalingGroup'],
};

/**
 * Actions the watchdog's code may call but its role gets only for games probed
 * that way: Run Command for `connections`, CloudWatch metrics for `traffic`.
 */
export const PROBE_ONLY_ACTIONS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  watchdog: {
    connections: ['ssm:SendCommand', 'ssm:GetCommandInvocation'],
    traffic: ['cloudwatch:GetMetricData'],
  },
};

/** Every function writes its own logs (Powertools metrics are log lines too, EMF). */
export const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'] as const;

/** Granted for something other than an SDK call of the code. */
export const EXTRA_GRANTS: Readonly<Record<string, readonly string[]>> = {
  // Lambda itself delivers a final failure to the on-failure destination, with the function's role:
  // the failsafe for the watchdog and the instance hook; topics for the failsafe and the waker (sns:Publish, also a call).
  watchdog: ['lambda:InvokeFunction'],
  'instance-hook': ['lambda:InvokeFunction'],
};

/** Actions that take no resource ARN (IAM evaluates them against "*" only), or are scoped by a condition. */
export const RESOURCE_STAR_ALLOWED: ReadonlySet<string> = new Set([
  'autoscaling:DescribeAutoScalingGroups',
  'autoscaling:DescribeWarmPool',
  'ec2:DescribeInstances',
  'ssm:GetCommandInvocation',
  'cloudwatch:GetMetricData',
]);

/** Scoped to a cluster by the `ecs:cluster` condition instead of by resource. */
export const RESOURCE_STAR_WITH_CONDITION: ReadonlySet<string> = new Set(['ecs:ListTasks']);

/** Function folders, and the names their functions get in the three-games configuration. */
export const ENTRIES = ['waker', 'watchdog', 'failsafe', 'instance-hook', 'notifier'] as const;
export type Entry = (typeof ENTRIES)[number];

/** `gm-waker`, `gm-mc-watchdog`, ... for one game (the waker and notifier are shared). */
export function functionName(prefix: string, entry: Entry, gameId: string): string {
  if (entry === 'waker') return `${prefix}-waker`;
  if (entry === 'notifier') return `${prefix}-discord`;
  return `${prefix}-${gameId}-${entry}`;
}

/** Every function of a stack with these games: the waker and notifier once, the others once per game. */
export function allFunctions(prefix: string, gameIds: readonly string[]): { entry: Entry; name: string }[] {
  return ENTRIES.flatMap((entry): { entry: Entry; name: string }[] => (entry === 'waker' || entry === 'notifier'
    ? [{ entry, name: functionName(prefix, entry, '') }]
    : gameIds.map((game) => ({ entry, name: functionName(prefix, entry, game) }))));
}
