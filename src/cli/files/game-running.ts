/**
 * Whether the game's container runs (or is starting) on its host: an upload
 * then would be overwritten by the game's next save, or the game would keep
 * writing into the folder the upload moved aside.
 */
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { ecs } from '../../lambdas/shared/clients';
import { errorName } from '../../lambdas/shared/transient';
import type { GameTarget } from '../aws/deployment';

/** Number of the service's tasks ECS wants running (running, starting, or about to start). */
export async function runningGameTasks(target: GameTarget): Promise<number> {
  try {
    const out = await ecs(target.region).send(new ListTasksCommand({ cluster: target.names.cluster, serviceName: target.names.service, desiredStatus: 'RUNNING' }));
    return out.taskArns?.length ?? 0;
  } catch (e) {
    // No cluster or service: nothing of the game can be running.
    if (errorName(e) === 'ClusterNotFoundException' || errorName(e) === 'ServiceNotFoundException') return 0;
    throw e;
  }
}
