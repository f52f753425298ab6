import { terraformLiterals } from './literal';

export { resourceName } from '../../runtime/names';

/**
 * The tag that names the deployment (`name` in the config). The waker may
 * scale only groups that carry it with its own value, so two deployments in
 * one account (`gm`, `gm-test`) never reach each other's groups.
 */
export const DEPLOYMENT_TAG = 'Deployment';

/** Tags on every resource, from the config (as written: escaped for Terraform) plus what tells people where it came from. */
export function defaultTags(prefix: string, extra: Readonly<Record<string, string>>): Record<string, string> {
  return { Project: 'GameManagement', ManagedBy: 'cdktf', [DEPLOYMENT_TAG]: prefix, ...terraformLiterals(extra) };
}
