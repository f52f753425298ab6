/** The synthesized functions and hosts of a deployment, with the roles they run as. */
import { resolveExpressions } from '../../../src/audit/arns';
import { block, referenced, resourcesOfType, type AuditContext, type AuditResource } from '../../../src/audit/model';
import { TEST_ACCOUNT } from './evaluate';
import type { FunctionUnderTest, GameView } from './function-calls';

export interface Synthesized<T> {
  readonly subject: T;
  readonly role: AuditResource;
}

function entryOf(prefix: string, functionName: string): FunctionUnderTest['entry'] {
  if (functionName === `${prefix}-waker`) return 'waker';
  if (functionName === `${prefix}-discord`) return 'notifier';
  for (const entry of ['watchdog', 'failsafe', 'instance-hook'] as const) if (functionName.endsWith(`-${entry}`)) return entry;
  throw new Error(`function ${functionName} is none of the known entries`);
}

function roleOf(context: AuditContext, holder: AuditResource, value: unknown): AuditResource {
  const role = referenced(context, holder, value);
  if (role?.type !== 'aws_iam_role') throw new Error(`${holder.address} does not name a role of its stack: ${String(value)}`);
  return role;
}

/** Every Lambda function, with what its environment says once Terraform has filled it in. */
export function functionsOf(context: AuditContext): Synthesized<FunctionUnderTest>[] {
  const invokeConfigs = resourcesOfType(context, 'aws_lambda_function_event_invoke_config');
  return resourcesOfType(context, 'aws_lambda_function').map((fn) => {
    const stack = context.stacks.find((s) => s.source === fn.source)!;
    const resolve = (text: string) => resolveExpressions(context, stack, text, TEST_ACCOUNT);
    const variables = (block(fn.values, 'environment')?.variables ?? {}) as Record<string, string>;
    const name = String(fn.values.function_name);
    const invokeConfig = invokeConfigs.find((c) => c.source === fn.source && referenced(context, c, c.values.function_name) === fn);
    const destination = block(block(invokeConfig?.values, 'destination_config'), 'on_failure')?.destination;
    const destinationArn = typeof destination === 'string' ? resolve(destination) : undefined;
    const subject: FunctionUnderTest = {
      entry: entryOf(context.config.name, name),
      functionName: name,
      region: fn.values.provider === 'aws.us_east_1' ? 'us-east-1' : context.config.region,
      ...(variables.GM_GAME ? { game: JSON.parse(resolve(variables.GM_GAME)) as GameView } : {}),
      ...(variables.GM_TOPIC_ARN ? { topicArn: resolve(variables.GM_TOPIC_ARN) } : {}),
      ...(variables.GM_DISCORD_PARAMETER ? { discordParameter: variables.GM_DISCORD_PARAMETER } : {}),
      ...(destinationArn ? { failureDestination: { action: destinationArn.includes(':lambda:') ? 'lambda:InvokeFunction' as const : 'sns:Publish' as const, arn: destinationArn } } : {}),
    };
    return { subject, role: roleOf(context, fn, fn.values.role) };
  });
}

/** Each game's host role: the role of the instance profile its launch template names. */
export function hostRoleOf(context: AuditContext, gameName: string): AuditResource {
  const role = resourcesOfType(context, 'aws_iam_role').find((r) => r.values.name === gameName);
  if (!role) throw new Error(`no role ${gameName}`);
  const profile = resourcesOfType(context, 'aws_iam_instance_profile').find((p) => referenced(context, p, p.values.role) === role);
  const template = resourcesOfType(context, 'aws_launch_template').find((t) => referenced(context, t, block(t.values, 'iam_instance_profile')?.arn) === profile);
  if (!profile || !template) throw new Error(`role ${gameName} is not the role of a launch template's instance profile`);
  return role;
}

export function roleArnOf(role: AuditResource): string {
  return `arn:${TEST_ACCOUNT.partition}:iam::${TEST_ACCOUNT.account}:role/${String(role.values.name)}`;
}
