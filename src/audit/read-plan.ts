/**
 * Reads the JSON of `terraform show -json <planfile>` into the audit's model:
 * the resources of `planned_values` (root module and every child module),
 * with their values after the plan. Format:
 * https://developer.hashicorp.com/terraform/internals/json-format
 * ("Plan Representation" and "Values Representation"). Values Terraform only
 * knows after apply are absent there; the rules skip what they cannot see.
 */
import type { AuditResource, AuditStack, Values } from './model';

interface ModuleValues {
  readonly resources?: readonly PlannedResource[];
  readonly child_modules?: readonly ModuleValues[];
}

interface PlannedResource {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly values?: Values;
}

export class PlanFormatError extends Error {
  override readonly name = 'PlanFormatError';
}

function moduleResources(module: ModuleValues | undefined): PlannedResource[] {
  if (!module) return [];
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(moduleResources)];
}

/** `source` names the plan in findings (its file name). */
export function readPlanJson(source: string, plan: unknown): AuditStack {
  if (!plan || typeof plan !== 'object' || !('format_version' in plan)) {
    throw new PlanFormatError(`${source} is not the JSON of a plan: make it with terraform show -json <planfile> > ${source}`);
  }
  const planned = (plan as { planned_values?: { root_module?: ModuleValues } }).planned_values;
  if (!planned) throw new PlanFormatError(`${source} has no planned_values: it is state JSON, not a plan; make it with terraform plan -out=tfplan && terraform show -json tfplan`);
  const resources: AuditResource[] = moduleResources(planned.root_module)
    .filter((r) => r.mode === 'managed')
    .map((r) => ({ source, kind: 'plan' as const, type: r.type, name: r.name, address: r.address, values: r.values ?? {} }));
  return { source, kind: 'plan', resources, outputs: {} };
}
