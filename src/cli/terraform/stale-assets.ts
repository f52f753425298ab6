/**
 * cdktf copies each asset into `<outdir>/stacks/<stack>/assets/<asset id>/`
 * and replaces that folder only when the same asset id comes again. Our
 * function zips are named by their content (so two zips of one function get
 * two assets), so every code change would leave the previous zip behind.
 * Synth owns these folders: they are emptied just before it writes.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Removes the asset folders of every stack in `outdir` (a cdktf output folder); the next synth writes the current ones. */
export function removeStaleAssets(outdir: string): void {
  const stacks = join(outdir, 'stacks');
  if (!existsSync(stacks)) return;
  for (const stack of readdirSync(stacks, { withFileTypes: true })) {
    if (stack.isDirectory()) rmSync(join(stacks, stack.name, 'assets'), { recursive: true, force: true });
  }
}
