/**
 * `gm policy`: the IAM policy the operator's credentials need for every
 * command, for this deployment (its names and region), ready to paste.
 */
import { parseOptions } from '../parse-options';
import { AWS_OPTIONS, loadDeployment } from '../aws/deployment';
import { EXIT_OK, UsageError, type Command } from '../command';
import type { CliIo } from '../io';
import { operatorPolicy } from '../operator-policy';

const USAGE = `usage: gm policy [--account <id>] [--region <name>]
Prints the IAM policy (JSON) that lets a person run every gm command for the
deployment of GM_CONFIG (default gamemanagement.yaml): its games' groups, state,
logs, hosts (tagged Deployment=<name>) and worlds, nothing else. Attach it to
the operator's user, group or permission set.
  --account <id>   the 12-digit account id to put in the ARNs (default: *, any
                   account — the policy lives in the deployment's own account)
  --region <name>  AWS region (default: the config's region)`;

export async function runPolicy(args: readonly string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseOptions(args, { region: AWS_OPTIONS.region, account: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.account !== undefined && !/^\d{12}$/.test(values.account)) {
    throw new UsageError(`--account must be a 12-digit AWS account id, got "${values.account}"`);
  }
  const deployment = loadDeployment({ region: values.region }, env);
  io.out(JSON.stringify(operatorPolicy(deployment.config.name, deployment.region, values.account ?? '*'), null, 2));
  return EXIT_OK;
}

export const policyCommand: Command = {
  name: 'policy',
  summary: 'print the IAM policy an operator needs for every gm command of this deployment',
  usage: USAGE,
  run: (args, io) => runPolicy(args, io),
};
