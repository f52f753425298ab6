/**
 * Whether the game's container runs yet: its ECS service has a RUNNING task.
 * Until then no probe may call the game ready: the instance is up but the
 * image may still be pulling (traffic the `traffic` probe would count as a
 * player) and nothing listens on the game's ports.
 */
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { step } from '../shared/steps';

/**
 * One DescribeServices call: `runningCount` is the number of the service's
 * tasks whose containers have started (RUNNING), which is all the watchdog
 * needs; listing and describing the tasks would take two calls.
 * Throws when the service does not exist.
 */
export async function gameContainerRunning(ecs: ECSClient, clusterName: string, serviceName: string): Promise<boolean> {
  const out = await step('describe-game-service', () => ecs.send(new DescribeServicesCommand({ cluster: clusterName, services: [serviceName] })));
  const service = out.services?.find((s) => s.serviceName === serviceName);
  if (!service) {
    const reason = out.failures?.find((f) => f.reason)?.reason;
    throw new Error(`ECS service ${serviceName} not found in cluster ${clusterName}${reason ? ` (${reason})` : ''}; `
      + 'run `cdktf deploy` so the service and the function configuration (GM_GAME) match again.');
  }
  return (service.runningCount ?? 0) >= 1;
}
