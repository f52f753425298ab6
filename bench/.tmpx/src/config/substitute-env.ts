/**
 * `${VAR}` and `${VAR:-default}` in string values are replaced from the
 * environment after YAML parsing, so a value can never change the YAML
 * structure around it. `$${VAR}` keeps a literal `${VAR}`.
 */
import { ConfigProblem, formatPath } from './config-error';

const PLACEHOLDER = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, problems: ConfigProblem[], path: PropertyKey[] = []): unknown {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (whole, escaped: string, name: string, fallback: string | undefined) => {
      if (escaped) return whole.slice(1);
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.push({ path: formatPath(path), message: `\${${name}} is not set; export ${name}=… or write \${${name}:-default}` });
      return whole;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, problems, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env, problems, [...path, k])]));
  }
  return value;
}
