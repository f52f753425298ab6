/**
 * The `gm` operator CLI: `npm run --silent gm -- <command> [options]`.
 * Each command lives in its own file under commands/; this file only
 * dispatches, turns usage errors into exit status 2, and an unusable config
 * or an AWS failure into one line and exit status 1.
 */
import { ConfigError } from '../config/config-error';
import { DeploymentConfigError } from './aws/deployment';
import { describeAwsFailure } from './aws/errors';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type Command } from './command';
import { helpText } from './commands/help';
import { lambdaCommand } from './commands/lambda';
import { logsCommand } from './commands/logs';
import { startCommand } from './commands/start';
import { statusCommand } from './commands/status';
import { stopCommand } from './commands/stop';
import { backupsCommand } from './commands/backups';
import { restoreCommand } from './commands/restore';
import { filesCommand } from './commands/files';
import { shellCommand } from './commands/shell';
import { policyCommand } from './commands/policy';
import { costCommand } from './commands/cost';
import { auditCommand } from './commands/audit';
import { probeCommand } from './commands/probe';
import { processIo, type CliIo } from './io';

export const COMMANDS: readonly Command[] = [
  statusCommand, startCommand, stopCommand, logsCommand, shellCommand, filesCommand, backupsCommand, restoreCommand, costCommand, auditCommand, policyCommand, probeCommand, lambdaCommand,
];

function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

/** `commands`: the table to dispatch on (tests may pass their own). */
export async function main(argv: readonly string[], io: CliIo = processIo, commands: readonly Command[] = COMMANDS): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(helpText(commands));
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`gm: unknown command "${name}"`);
    io.err('');
    io.err(helpText(commands));
    return EXIT_USAGE;
  }
  if (wantsHelp(args)) {
    io.out(command.usage);
    return EXIT_OK;
  }
  try {
    return await command.run(args, io);
  } catch (e) {
    io.progress(undefined);
    if (e instanceof UsageError) {
      io.err(`gm ${command.name}: ${e.message}`);
      io.err(command.usage);
      return EXIT_USAGE;
    }
    // A configuration loading refuses, or one synth refuses (gm cost, gm audit): listed as synth lists it.
    if (e instanceof DeploymentConfigError || e instanceof ConfigError) {
      io.err((e instanceof ConfigError ? DeploymentConfigError.from(e) : e).message);
      return EXIT_FAILED;
    }
    // No credentials, a missing permission, a throttle that outlasted the retries: one line, no stack.
    const failure = describeAwsFailure(e);
    if (failure === undefined) throw e;
    io.err(`gm ${command.name}: ${failure}`);
    return EXIT_FAILED;
  }
}

if (require.main === module) {
  // The SDK warns on Node 20 about SDK releases after January 2027; the versions here are pinned,
  // and the warning would stand before every command's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
      // A handler or probe may leave a socket or timer open; a CLI must still
      // end. The timer does not itself keep the process alive (unref).
      setTimeout(() => process.exit(status), 2000).unref();
    },
    (e: unknown) => {
      // Not a usage error and not a handled failure: a bug worth its stack.
      console.error(e);
      process.exit(1);
    },
  );
}
