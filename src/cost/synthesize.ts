/**
 * The stacks exactly as `cdktf synth` writes them (src/synthesized-stacks.ts),
 * handed over as a flat list of resources. `gm cost` prices these, not a list kept by
 * hand, so a resource added to a construct is priced (or refused) at once.
 */
import type { Config } from '../config/resolve';
import { synthesizedStacks } from '../synthesized-stacks';

export interface SynthesizedResource {
  /** Stack name (`gamemanagement`, `gamemanagement-worlds`, `bootstrap`). */
  readonly stack: string;
  /** Terraform resource type (`aws_efs_file_system`). */
  readonly type: string;
  /** Terraform name within the stack (`world_mc`). */
  readonly name: string;
  /** Construct path below the stack (`world-mc/fs`): which game it belongs to. */
  readonly path: string;
  readonly body: Readonly<Record<string, unknown>>;
}

interface StackJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
}

function constructPath(stack: string, body: Record<string, unknown>): string {
  const meta = body['//'] as { metadata?: { path?: unknown } } | undefined;
  const path = typeof meta?.metadata?.path === 'string' ? meta.metadata.path : '';
  return path.startsWith(`${stack}/`) ? path.slice(stack.length + 1) : path;
}

/** Every resource of every stack of `config`, in synthesized order. Synth warnings are not repeated here. */
export function synthesizedResources(config: Config, configFile?: string): SynthesizedResource[] {
  return synthesizedStacks(config, configFile).flatMap(({ stack, json }) =>
    Object.entries((json as StackJson).resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, body]) => ({ stack, type, name, path: constructPath(stack, body), body }))));
}
