/** What the running system changes, Terraform must leave alone (or a deploy stops a game in play). */
import { gameOf, resourcesOfType, type AuditResource, type Rule } from '../model';

function ignores(resource: AuditResource, attribute: string): boolean {
  const ignored = resource.lifecycle?.ignoreChanges ?? [];
  return ignored.includes('all') || ignored.includes(attribute);
}

export const runtimeAttributesIgnored: Rule = {
  id: 'tf-ignores-runtime',
  severity: 'high',
  title: 'Terraform ignores what the runtime owns',
  protects: 'A game in play: without ignore_changes, a deploy sets the group back to 0 instances, the service back to 0 tasks, the DNS back to the placeholder, the watchdog off.',
  fix: 'Add lifecycle { ignore_changes = [...] } for: the group\'s desired_capacity, the service\'s desired_count and task_definition, the game\'s A/AAAA records, the watchdog schedule\'s state, the watchdog state parameter\'s value.',
  check(context) {
    const synthesized = (types: string[]) => resourcesOfType(context, ...types).filter((r) => r.kind === 'synth');
    const wanted: [AuditResource, string[]][] = [
      ...synthesized(['aws_autoscaling_group']).map((r): [AuditResource, string[]] => [r, ['desired_capacity']]),
      ...synthesized(['aws_ecs_service']).map((r): [AuditResource, string[]] => [r, ['desired_count', 'task_definition']]),
      // The instance hook points a game's address records at its host; other records (SRV) do not move.
      ...synthesized(['aws_route53_record']).filter((r) => ['A', 'AAAA'].includes(String(r.values.type)) && gameOf(context, r) !== undefined)
        .map((r): [AuditResource, string[]] => [r, ['records']]),
      ...synthesized(['aws_cloudwatch_event_rule']).filter((r) => String(r.values.name).endsWith('-watchdog-schedule'))
        .map((r): [AuditResource, string[]] => [r, ['state']]),
      ...synthesized(['aws_ssm_parameter']).filter((r) => String(r.values.name).endsWith('/watchdog-state'))
        .map((r): [AuditResource, string[]] => [r, ['value']]),
    ];
    return wanted.flatMap(([resource, attributes]) => {
      const missing = attributes.filter((a) => !ignores(resource, a));
      return missing.length > 0 ? [{ resource, detail: `ignore_changes lacks ${missing.join(', ')}` }] : [];
    });
  },
};

export const RUNTIME_RULES: readonly Rule[] = [runtimeAttributesIgnored];
