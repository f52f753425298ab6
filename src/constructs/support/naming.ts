import { terraformLiterals } from './literal';

/** AWS resource names: `<prefix>-<game>-<role>` (prefix from `name`, default gm). */
export function resourceName(prefix: string, ...parts: string[]): string {
  return [prefix, ...parts].join('-');
}

/** Tags on every resource, from the config (as written: escaped for Terraform) plus what tells people where it came from. */
export function defaultTags(prefix: string, extra: Readonly<Record<string, string>>): Record<string, string> {
  return { Project: 'GameManagement', ManagedBy: 'cdktf', Deployment: prefix, ...terraformLiterals(extra) };
}
