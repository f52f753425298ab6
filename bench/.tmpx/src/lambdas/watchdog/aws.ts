/**
 * The AWS calls only the watchdog makes (the group, parameters, session and
 * notices go through src/lambdas/shared): whether the game's container runs,
 * the game's published address, and turning its own schedule off. Route53
 * (query games only) and EventBridge (once per stop) are loaded when first
 * called, so most runs never load them.
 */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { ecs, eventBridge, route53 } from '../shared/clients';
import { serviceMissingError } from './messages';

/**
 * Whether the game's ECS service has a RUNNING task: one DescribeServices
 * call (`runningCount` counts the tasks whose containers have started).
 * Throws when the service does not exist.
 */
export async function gameContainerRunning(clusterName: string, serviceName: string): Promise<boolean> {
  const out = await ecs().send(new DescribeServicesCommand({ cluster: clusterName, services: [serviceName] }));
  const service = out.services?.find((s) => s.serviceName === serviceName);
  if (!service) throw new Error(serviceMissingError(serviceName, clusterName, out.failures?.find((f) => f.reason)?.reason));
  return (service.runningCount ?? 0) >= 1;
}

export interface GameRecords {
  readonly ipv4?: string;
  readonly ipv6?: string;
}

/**
 * The game's A and AAAA values, read from the hosted zone's API rather than
 * resolved: a DNS lookup of the name would land in the query log and wake the
 * game it is watching. The instance hook points them at the instance at
 * launch, so this is also the address players reach.
 */
export async function readGameRecords(hostedZoneId: string, fqdn: string): Promise<GameRecords> {
  const { ListResourceRecordSetsCommand } = await import('@aws-sdk/client-route-53');
  const name = `${fqdn.replace(/\.$/, '').toLowerCase()}.`;
  const out = await route53().send(new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, StartRecordName: name, StartRecordType: 'A', MaxItems: 2 }));
  const value = (type: string) => out.ResourceRecordSets?.find((r) => r.Name?.toLowerCase() === name && r.Type === type)?.ResourceRecords?.[0]?.Value;
  const ipv4 = value('A');
  const ipv6 = value('AAAA');
  return { ...(ipv4 ? { ipv4 } : {}), ...(ipv6 ? { ipv6 } : {}) };
}

/** Turns the watchdog's own schedule off (the instance hook turns it on at the next launch). */
export async function disableSchedule(ruleName: string): Promise<void> {
  const { DisableRuleCommand } = await import('@aws-sdk/client-eventbridge');
  await eventBridge().send(new DisableRuleCommand({ Name: ruleName }));
}
