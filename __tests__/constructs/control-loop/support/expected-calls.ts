/**
 * What each function's code calls, read from the code (`new XCommand(` in
 * src/lambdas/<entry>/**), with the IAM action each call needs. The
 * least-privilege tests check every action is granted and nothing else is;
 * the source test fails when the code starts (or stops) calling a command, so
 * this list — and the construct's policy — must be updated with it.
 */
export const EXPECTED_CALLS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  waker: {
    DescribeAutoScalingGroupsCommand: 'autoscaling:DescribeAutoScalingGroups',
    SetDesiredCapacityCommand: 'autoscaling:SetDesiredCapacity',
    PublishCommand: 'sns:Publish',
  },
  watchdog: {
    DescribeAutoScalingGroupsCommand: 'autoscaling:DescribeAutoScalingGroups',
    DescribeInstancesCommand: 'ec2:DescribeInstances',
    SetDesiredCapacityCommand: 'autoscaling:SetDesiredCapacity',
    GetParameterCommand: 'ssm:GetParameter',
    PutParameterCommand: 'ssm:PutParameter',
    SendCommandCommand: 'ssm:SendCommand',
    GetCommandInvocationCommand: 'ssm:GetCommandInvocation',
    GetMetricDataCommand: 'cloudwatch:GetMetricData',
    DescribeServicesCommand: 'ecs:DescribeServices',
    DisableRuleCommand: 'events:DisableRule',
    PublishCommand: 'sns:Publish',
  },
  failsafe: {
    DescribeAutoScalingGroupsCommand: 'autoscaling:DescribeAutoScalingGroups',
    DescribeInstancesCommand: 'ec2:DescribeInstances',
    SetDesiredCapacityCommand: 'autoscaling:SetDesiredCapacity',
    GetParameterCommand: 'ssm:GetParameter',
    ListTasksCommand: 'ecs:ListTasks',
    DescribeTasksCommand: 'ecs:DescribeTasks',
    PublishCommand: 'sns:Publish',
  },
  'instance-hook': {
    DescribeAutoScalingGroupsCommand: 'autoscaling:DescribeAutoScalingGroups',
    DescribeInstancesCommand: 'ec2:DescribeInstances',
    CompleteLifecycleActionCommand: 'autoscaling:CompleteLifecycleAction',
    EnableRuleCommand: 'events:EnableRule',
    DisableRuleCommand: 'events:DisableRule',
    GetParameterCommand: 'ssm:GetParameter',
    PutParameterCommand: 'ssm:PutParameter',
    UpdateServiceCommand: 'ecs:UpdateService',
    ListTasksCommand: 'ecs:ListTasks',
    DescribeTasksCommand: 'ecs:DescribeTasks',
    ChangeResourceRecordSetsCommand: 'route53:ChangeResourceRecordSets',
    PublishCommand: 'sns:Publish',
  },
  notifier: {
    GetParameterCommand: 'ssm:GetParameter',
  },
};

/** Every function writes its own logs (Powertools metrics are log lines too, EMF). */
export const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'] as const;

/** Granted for something other than an SDK call of the code. */
export const EXTRA_GRANTS: Readonly<Record<string, readonly string[]>> = {
  // Lambda itself invokes the on-failure destination (the failsafe) with the watchdog's role.
  watchdog: ['lambda:InvokeFunction'],
};

/** Actions that take no resource ARN (IAM evaluates them against "*" only), or are scoped by a condition. */
export const RESOURCE_STAR_ALLOWED: ReadonlySet<string> = new Set([
  'autoscaling:DescribeAutoScalingGroups',
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
