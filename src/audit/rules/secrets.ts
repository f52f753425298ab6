/** Nothing secret in the synthesized JSON (it is committed, reviewed in plans, and copied into state). */
import { allResources, block, type AuditResource, type Rule, type RuleFinding } from '../model';

/** Values that are credentials whatever their name. */
const SECRET_VALUES: readonly { what: string; pattern: RegExp }[] = [
  { what: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { what: 'a Discord webhook URL', pattern: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/[\w-]+/ },
  { what: 'a Slack token', pattern: /\bxox[abprs]-[0-9A-Za-z-]{10,}/ },
  { what: 'a GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36}\b/ },
];

/** Environment variable names that hold passwords and tokens (the same test synth warns with). */
const SECRET_NAME = /pass|secret|token|api.?key|rcon/i;

function strings(value: unknown, path: string, out: { path: string; value: string }[]): void {
  if (typeof value === 'string') out.push({ path, value });
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, path ? `${path}.${k}` : k, out);
}

/** Environment variables a resource hands a process in plain text: a function's, or a container's. */
function environmentOf(resource: AuditResource): { name: string; value: string }[] {
  if (resource.type === 'aws_lambda_function') {
    const variables = block(resource.values, 'environment')?.variables;
    return Object.entries((variables ?? {}) as Record<string, unknown>).map(([name, value]) => ({ name, value: String(value) }));
  }
  if (resource.type === 'aws_ecs_task_definition' && typeof resource.values.container_definitions === 'string') {
    try {
      const containers = JSON.parse(resource.values.container_definitions) as { environment?: { name: string; value: string }[] }[];
      return containers.flatMap((c) => c.environment ?? []).map((e) => ({ name: e.name, value: String(e.value) }));
    } catch {
      return [];
    }
  }
  return [];
}

export const noSecrets: Rule = {
  id: 'no-secrets-in-json',
  severity: 'high',
  title: 'No secrets in the synthesized JSON',
  protects: 'Passwords, tokens and keys from everyone who can read the repository, a plan in a pull request, or the state.',
  fix: 'Move the value to an SSM SecureString parameter or a Secrets Manager secret and name it in games.<id>.secrets (or alerts.discordWebhookParameter).',
  check(context) {
    return allResources(context).flatMap((resource): RuleFinding[] => {
      const found: RuleFinding[] = [];
      const all: { path: string; value: string }[] = [];
      strings(resource.values, '', all);
      for (const { path, value } of all) {
        const hit = SECRET_VALUES.find((s) => s.pattern.test(value));
        if (hit) found.push({ resource, detail: `${path} holds ${hit.what}` });
      }
      for (const { name, value } of environmentOf(resource)) {
        // An empty value or a reference to something else (`${…}`) is not a secret written here.
        if (SECRET_NAME.test(name) && value !== '' && !/^\$\{[^}]*\}$/.test(value)) found.push({ resource, detail: `environment variable ${name} holds a plain value` });
      }
      if (resource.type === 'aws_ssm_parameter' && resource.values.type === 'SecureString' && typeof resource.values.value === 'string' && resource.values.value !== '') {
        found.push({ resource, detail: 'a SecureString parameter whose value is written in the JSON (and so in state)' });
      }
      return found;
    });
  },
};

export const SECRET_RULES: readonly Rule[] = [noSecrets];
