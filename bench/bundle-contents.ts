/**
 * What a bundle is made of, from esbuild's metafile: bytes in the output per
 * package (or per source folder), the AWS SDK clients it holds, and the
 * weight of Powertools.
 */
import type { Metafile } from 'esbuild';

export interface BundleContents {
  /** Output bytes per package (`@aws-sdk/client-ssm`) or source folder (`src/lambdas/waker`), largest first. */
  readonly byPackage: readonly (readonly [string, number])[];
  /** The SDK service clients in the bundle, e.g. `ssm`, `auto-scaling`. */
  readonly clients: readonly string[];
  /** Command classes kept per client (`ssm` → 3): far more than the function sends means a whole client came in. */
  readonly commands: ReadonlyMap<string, number>;
  /** Output bytes of @aws-lambda-powertools/*. */
  readonly powertoolsBytes: number;
  /** Output bytes of @aws-sdk/* and @smithy/* together. */
  readonly sdkBytes: number;
}

function packageOf(path: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (modules) return modules[1]!;
  return path.split('/').slice(0, 3).join('/');
}

export function bundleContents(metafile: Metafile): BundleContents {
  const output = Object.values(metafile.outputs)[0];
  const byPackage = new Map<string, number>();
  const commands = new Map<string, number>();
  for (const [path, input] of Object.entries(output?.inputs ?? {})) {
    if (input.bytesInOutput === 0) continue;
    const command = /@aws-sdk\/client-([a-z0-9-]+)\/dist-es\/commands\/\w+Command\.js$/.exec(path);
    if (command) commands.set(command[1]!, (commands.get(command[1]!) ?? 0) + 1);
    const key = packageOf(path);
    byPackage.set(key, (byPackage.get(key) ?? 0) + input.bytesInOutput);
  }
  const sorted = [...byPackage].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const sum = (test: (name: string) => boolean) => sorted.filter(([name]) => test(name)).reduce((total, [, bytes]) => total + bytes, 0);
  return {
    byPackage: sorted,
    commands,
    clients: sorted.map(([name]) => /^@aws-sdk\/client-(.+)$/.exec(name)?.[1]).filter((c): c is string => c !== undefined).sort(),
    powertoolsBytes: sum((name) => name.startsWith('@aws-lambda-powertools/')),
    sdkBytes: sum((name) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/')),
  };
}
