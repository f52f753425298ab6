/**
 * `${VAR}` and `${VAR:-default}` in string values are replaced from the
 * environment after YAML parsing, so a value can never change the YAML
 * structure around it. `$${VAR}` keeps a literal `${VAR}`.
 */
import { ConfigProblem, formatPath } from './config-error';

/** The placeholder syntax, also for the JSON Schema (which accepts it wherever the loader does). */
export const PLACEHOLDER_SOURCE = '\\$(\\$?)\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\\}';
const PLACEHOLDER = new RegExp(PLACEHOLDER_SOURCE, 'g');

/** Where substitution happened: values that came from the environment, and values left broken by an unset variable. */
export interface Substitutions {
  /** Paths (formatted) of strings that had a placeholder replaced. */
  readonly replaced: Set<string>;
  /** Paths (formatted) whose placeholder could not be filled; already reported. */
  readonly failed: Set<string>;
}

export function emptySubstitutions(): Substitutions {
  return { replaced: new Set(), failed: new Set() };
}

export function substituteEnv(
  value: unknown, env: NodeJS.ProcessEnv, problems: ConfigProblem[], path: PropertyKey[] = [], seen: Substitutions = emptySubstitutions(),
): unknown {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (whole, escaped: string, name: string, fallback: string | undefined) => {
      if (escaped) return whole.slice(1);
      const found = env[name];
      if (found !== undefined && found !== '') {
        seen.replaced.add(formatPath(path));
        return found;
      }
      if (fallback !== undefined) {
        seen.replaced.add(formatPath(path));
        return fallback;
      }
      seen.failed.add(formatPath(path));
      problems.push({ path: formatPath(path), message: `\${${name}} is not set; export ${name}=… or write \${${name}:-default}` });
      return whole;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, problems, [...path, i], seen));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env, problems, [...path, k], seen)]));
  }
  return value;
}
