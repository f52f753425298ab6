/**
 * What the rules read: every resource of the synthesized stacks (and of any
 * `terraform show -json` plan given), in one shape whatever it came from.
 */
import type { Config } from '../config/resolve';

export type Values = Record<string, unknown>;

export interface AuditResource {
  /** Where it was read: a stack name (`gamemanagement`) or a plan file. */
  readonly source: string;
  /** Synthesized JSON keeps `lifecycle` and unresolved references; a plan has neither. */
  readonly kind: 'synth' | 'plan';
  readonly type: string;
  /** Terraform resource name (the cdktf logical id). */
  readonly name: string;
  /** `type.name`, with its module path in a plan: what `terraform state` and the plan call it. */
  readonly address: string;
  readonly values: Values;
  /** Known for synthesized resources only (a plan's JSON does not carry lifecycle). */
  readonly lifecycle?: { readonly ignoreChanges: readonly string[]; readonly preventDestroy: boolean };
}

export interface AuditStack {
  readonly source: string;
  readonly kind: 'synth' | 'plan';
  readonly resources: readonly AuditResource[];
  /** The state backend (`s3`, `local`) and its settings; synthesized stacks only. */
  readonly backend?: { readonly type: string; readonly settings: Values };
  /** Stack outputs (`output.<name>.value`), used to follow cross-stack references. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Stack locals (`locals.<name>`), used to follow `local.<name>` references. */
  readonly locals?: Readonly<Record<string, unknown>>;
}

export interface AuditContext {
  readonly config: Config;
  readonly stacks: readonly AuditStack[];
}

export type Severity = 'high' | 'medium' | 'low';

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  /** `<source>: <address>` of the resource at fault. */
  readonly resource: string;
  readonly detail: string;
  /** The game the resource belongs to, when it belongs to one. */
  readonly game?: string;
}

export interface Rule {
  /** Stable id, e.g. `host-imdsv2`. */
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  /** What goes wrong without it. */
  readonly protects: string;
  /** What to change when it fires. */
  readonly fix: string;
  /** IAM rules ask AWS's action data, which is read asynchronously. */
  check(context: AuditContext): RuleFinding[] | Promise<RuleFinding[]>;
}

/** What a rule reports; the pack adds the rule's id, severity and game. */
export interface RuleFinding {
  readonly resource: AuditResource;
  readonly detail: string;
}

export function allResources(context: AuditContext): AuditResource[] {
  return context.stacks.flatMap((s) => s.resources);
}

export function resourcesOfType(context: AuditContext, ...types: string[]): AuditResource[] {
  return allResources(context).filter((r) => types.includes(r.type));
}

/** A nested block: cdktf writes one block as an object, a plan always as a list. */
export function block(values: Values | undefined, key: string): Values | undefined {
  const raw = values?.[key];
  if (Array.isArray(raw)) return raw[0] as Values | undefined;
  return raw && typeof raw === 'object' ? (raw as Values) : undefined;
}

/** Every block of a repeated block (`ingress`, `block_device_mappings`). */
export function blocks(values: Values | undefined, key: string): Values[] {
  const raw = values?.[key];
  if (Array.isArray(raw)) return raw.filter((b): b is Values => !!b && typeof b === 'object');
  return raw && typeof raw === 'object' ? [raw as Values] : [];
}

/** Terraform writes booleans and numbers as strings in places (`"true"`); both count. */
export function truthy(value: unknown): boolean {
  return value === true || value === 'true';
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

/** The resource a `${type.name.attr}` value points at, in the same stack. */
export function referenced(context: AuditContext, from: AuditResource, value: unknown): AuditResource | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$/.exec(value);
  if (!m) return undefined;
  const stack = context.stacks.find((s) => s.source === from.source);
  return stack?.resources.find((r) => r.type === m[1] && r.name === m[2]);
}

/** `mc`, when the resource is one of game mc's; undefined for shared ones. */
export function gameOf(context: AuditContext, resource: AuditResource): string | undefined {
  const ids = context.config.games.map((g) => g.id).sort((a, b) => b.length - a.length);
  // cdktf logical ids carry the construct path: `game-mc_…` (main stack), `world-mc_…` or `world_mc…` (worlds stack).
  for (const id of ids) {
    const underscored = id.replace(/-/g, '_');
    if (resource.name.startsWith(`game-${id}_`) || resource.name.startsWith(`world-${id}_`)
      || resource.name === `world_${underscored}` || resource.name === `world_${underscored}_backup`
      || resource.name === `world_${underscored}_backup_selection`) return id;
  }
  // Otherwise by the AWS name the resource is given: gm-<game>, gm-<game>-…, /gm/<game>/…, /aws/lambda/gm-<game>-….
  const prefix = context.config.name;
  const names = ['name', 'function_name', 'family', 'creation_token'].map((k) => resource.values[k]).filter((v): v is string => typeof v === 'string');
  for (const id of ids) {
    const base = `${prefix}-${id}`;
    if (names.some((n) => n === base || n.startsWith(`${base}-`) || n.startsWith(`/${prefix}/${id}/`) || n.startsWith(`/aws/lambda/${base}-`))) return id;
  }
  return undefined;
}

export function locate(resource: AuditResource): string {
  return `${resource.source}: ${resource.address}`;
}
