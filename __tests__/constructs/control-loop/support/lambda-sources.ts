/**
 * What a function's code calls and reads, found in the code esbuild keeps
 * for it: the handler bundled with every package left outside and tree
 * shaking on, so the output holds exactly the repository code the handler
 * reaches — its own files and the parts of src/lambdas/shared and
 * src/runtime it uses (a shared `readParameter` counts, an unused
 * `deleteParameter` beside it does not) — and an `import` line for each SDK
 * name it uses.
 */
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { LAMBDAS_DIR } from '../../../../src/constructs/support/lambda-bundle';
import { FUNCTION_ENV, type FunctionName } from '../../../../src/runtime/env';
import { REPO_ROOT } from './synth';

/** IAM service prefix of each AWS SDK v3 client package the functions use. */
export const SERVICE_OF_PACKAGE: Readonly<Record<string, string>> = {
  '@aws-sdk/client-auto-scaling': 'autoscaling',
  '@aws-sdk/client-backup': 'backup',
  '@aws-sdk/client-cloudwatch': 'cloudwatch',
  '@aws-sdk/client-cloudwatch-logs': 'logs',
  '@aws-sdk/client-ec2': 'ec2',
  '@aws-sdk/client-ec2-instance-connect': 'ec2-instance-connect',
  '@aws-sdk/client-ecs': 'ecs',
  '@aws-sdk/client-efs': 'elasticfilesystem',
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/client-lambda': 'lambda',
  '@aws-sdk/client-route-53': 'route53',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-ssm': 'ssm',
  '@aws-sdk/client-sts': 'sts',
};

export interface ReachableCode {
  /** The bundle's code (ES module, not minified, packages imported). */
  readonly text: string;
  /** Repository files whose code is in it, relative to the repository. */
  readonly files: readonly string[];
}

const reachable = new Map<string, ReachableCode>();

/** The code reachable from `<lambdasDir>/<entry>/handler.ts` (cached per entry). */
export function reachableCode(entry: string, lambdasDir: string = LAMBDAS_DIR): ReachableCode {
  return reachableCodeOf(join(lambdasDir, entry, 'handler.ts'));
}

/** The code reachable from one file (cached per file), e.g. a CLI command. */
export function reachableCodeOf(file: string): ReachableCode {
  const key = file;
  const known = reachable.get(key);
  if (known) return known;
  const result = buildSync({
    entryPoints: [file],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    // Every package stays an import: only repository code is in the output, and SDK names keep their names.
    packages: 'external',
    treeShaking: true,
    minify: false,
    write: false,
    metafile: true,
    logLevel: 'silent',
    loader: { '.sh': 'text' },
    absWorkingDir: REPO_ROOT,
  });
  const output = Object.values(result.metafile!.outputs)[0]!;
  const code = {
    text: result.outputFiles[0]!.text,
    // Files that contribute code to the output (a file whose every export is shaken off contributes none).
    files: Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([file]) => file).sort(),
  };
  reachable.set(key, code);
  return code;
}

export interface SdkCall {
  /** `SetDesiredCapacityCommand`. */
  readonly command: string;
  /** The client package it is imported from. */
  readonly packageName: string;
  /** `autoscaling:SetDesiredCapacity`, or undefined when the package is not in SERVICE_OF_PACKAGE. */
  readonly iamAction: string | undefined;
  /** The repository file the call is in (esbuild marks each file's code with a `// path` comment). */
  readonly file: string;
}

/** `new XCommand(` in the reachable code, each with the package its class is imported from. */
export function sdkCalls(entry: string, lambdasDir: string = LAMBDAS_DIR): SdkCall[] {
  return sdkCallsIn(reachableCode(entry, lambdasDir).text);
}

/** The SDK calls of the code reachable from one file. */
export function sdkCallsOf(file: string): SdkCall[] {
  return sdkCallsIn(reachableCodeOf(file).text);
}

function sdkCallsIn(text: string): SdkCall[] {
  // Local name → [package, exported name]; esbuild renames a name imported by two files (`X as X2`).
  const imported = new Map<string, { packageName: string; name: string }>();
  for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"(@aws-sdk\/[a-z0-9-]+)"/g)) {
    for (const part of m[1]!.split(',')) {
      const [name, local] = part.trim().split(/\s+as\s+/).map((s) => s.trim());
      if (name) imported.set(local ?? name, { packageName: m[2]!, name });
    }
  }
  const calls: SdkCall[] = [];
  let file = '(bundle)';
  for (const line of text.split('\n')) {
    const marker = /^\/\/ (\S+\.ts)$/.exec(line);
    if (marker) file = marker[1]!;
    for (const m of line.matchAll(/new\s+([A-Za-z_$][\w$]*)\s*\(/g)) {
      const found = imported.get(m[1]!);
      // A command is a class named `…Command`, whatever the local name it was imported under.
      if (!(found?.name ?? m[1]!).endsWith('Command')) continue;
      const command = found?.name ?? m[1]!;
      const packageName = found?.packageName ?? '(not imported from @aws-sdk)';
      const service = SERVICE_OF_PACKAGE[packageName];
      calls.push({ command, packageName, iamAction: service && `${service}:${command.replace(/Command$/, '')}`, file });
    }
  }
  return calls;
}

/** Functions whose checked environment the code reads: `functionEnv('<fn>')`. */
export function environmentsRead(entry: string, lambdasDir: string = LAMBDAS_DIR): FunctionName[] {
  const { text } = reachableCode(entry, lambdasDir);
  return [...new Set([...text.matchAll(/\bfunctionEnv\(\s*["']([a-z-]+)["']/g)].map((m) => m[1]! as FunctionName))];
}

/** What the function cannot start without: the required variables of each environment it reads (src/runtime/env.ts). */
export function requiredEnvNames(entry: string, lambdasDir: string = LAMBDAS_DIR): Set<string> {
  const names = new Set<string>();
  for (const fn of environmentsRead(entry, lambdasDir)) {
    const schema = FUNCTION_ENV[fn];
    if (!schema) throw new Error(`${entry} reads the environment of "${fn}", which src/runtime/env.ts does not define`);
    for (const [variable, entrySchema] of Object.entries(schema.entries)) {
      if ((entrySchema as { type: string }).type !== 'optional') names.add(variable);
    }
  }
  return names;
}
