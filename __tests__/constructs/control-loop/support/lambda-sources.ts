/**
 * What a function's code calls and reads, found in the files esbuild actually
 * bundles for it (its metafile), so an import from another folder counts too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { LAMBDAS_DIR } from '../../../../src/constructs/support/lambda-bundle';
import { REPO_ROOT } from './synth';

/** IAM service prefix of each AWS SDK v3 client package the functions use. */
export const SERVICE_OF_PACKAGE: Readonly<Record<string, string>> = {
  '@aws-sdk/client-auto-scaling': 'autoscaling',
  '@aws-sdk/client-cloudwatch': 'cloudwatch',
  '@aws-sdk/client-ec2': 'ec2',
  '@aws-sdk/client-ecs': 'ecs',
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/client-route-53': 'route53',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-ssm': 'ssm',
};

/** Source files of the repository (not node_modules) that go into the function's bundle. */
export function bundledSourceFiles(entry: string): string[] {
  const result = buildSync({
    entryPoints: [join(LAMBDAS_DIR, entry, 'handler.ts')],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    write: false,
    metafile: true,
    logLevel: 'silent',
    loader: { '.sh': 'text' },
    absWorkingDir: REPO_ROOT,
  });
  return Object.keys(result.metafile!.inputs)
    .filter((file) => file.startsWith('src/') && /\.ts$/.test(file))
    .map((file) => join(REPO_ROOT, file));
}

export interface SdkCall {
  /** `SetDesiredCapacityCommand`. */
  readonly command: string;
  /** The client package it is imported from. */
  readonly packageName: string;
  /** `autoscaling:SetDesiredCapacity`, or undefined when the package is not in SERVICE_OF_PACKAGE. */
  readonly iamAction: string | undefined;
  readonly file: string;
}

/** `new XCommand(` in the bundled sources, each with the package it is imported from. */
export function sdkCalls(entry: string): SdkCall[] {
  const calls: SdkCall[] = [];
  for (const file of bundledSourceFiles(entry)) {
    const text = readFileSync(file, 'utf8');
    const packageOf = new Map<string, string>();
    for (const m of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(@aws-sdk\/[a-z0-9-]+)'/g)) {
      for (const name of m[1]!.split(',')) {
        const imported = name.trim().replace(/^type\s+/, '').split(/\s+as\s+/);
        const local = (imported[1] ?? imported[0])!.trim();
        if (local) packageOf.set(local, m[2]!);
      }
    }
    for (const m of text.matchAll(/new\s+([A-Z][A-Za-z0-9]*Command)\s*\(/g)) {
      const command = m[1]!;
      const packageName = packageOf.get(command) ?? '(not imported from @aws-sdk)';
      const service = SERVICE_OF_PACKAGE[packageName];
      calls.push({ command, packageName, iamAction: service && `${service}:${command.replace(/Command$/, '')}`, file });
    }
  }
  return calls;
}

/** Names passed to requireEnv / readJsonEnv, i.e. what the function cannot start without. */
export function requiredEnvNames(entry: string): Set<string> {
  const names = new Set<string>();
  for (const file of bundledSourceFiles(entry)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b(?:requireEnv|readJsonEnv)\s*(?:<[^>]*>)?\s*\(\s*'([A-Z0-9_]+)'/g)) names.add(m[1]!);
  }
  return names;
}
