/**
 * Reads `gamemanagement.yaml` (or `GM_CONFIG`), replaces `${VAR}`, validates
 * it and returns the resolved config — or throws one ConfigError that names
 * every problem by its field path. Nothing is synthesized before this returns.
 */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, ConfigProblem, formatPath } from './config-error';
import { knownKeysAt, suggest } from './known-keys';
import { Config, resolveConfig } from './resolve';
import { configSchema } from './schema';
import { substituteEnv } from './substitute-env';

export const DEFAULT_CONFIG_FILE = 'gamemanagement.yaml';

/** The file synth reads: `GM_CONFIG` when set, else `gamemanagement.yaml` in the working directory. */
export function configPath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return resolvePath(cwd, env.GM_CONFIG || DEFAULT_CONFIG_FILE);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): { found: boolean; value?: unknown } {
  let value = input;
  for (const key of path) {
    if (!value || typeof value !== 'object' || !(key in (value as object))) return { found: false };
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value };
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function problemsFromIssue(issue: z.core.$ZodIssue, input: unknown): ConfigProblem[] {
  const path = issue.path as PropertyKey[];
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(configSchema, path, input);
    return issue.keys.map((key) => {
      const guess = suggest(key, known);
      const hint = guess ? `did you mean "${guess}"?` : `allowed here: ${known.join(', ')}`;
      return { path: formatPath([...path, key]), message: `unknown key; ${hint}` };
    });
  }
  if (issue.code === 'custom') return [{ path: formatPath(path), message: issue.message }];
  const at = valueAt(input, path);
  let expected = issue.message.replace(/^Invalid input: /, '').replace(/, received \w+$/, '');
  if (issue.code === 'invalid_type' && issue.expected === 'object') {
    expected = `expected a mapping with the keys ${knownKeysAt(configSchema, path, input).join(', ')}`;
  } else if (issue.code === 'invalid_type' && issue.expected === 'array') {
    expected = 'expected a list';
  }
  if (!at.found || at.value === undefined || at.value === null) {
    return [{ path: formatPath(path), message: `missing; ${expected}` }];
  }
  return [{ path: formatPath(path), message: `found ${describe(at.value)}; ${expected}` }];
}

/** Validates an already-parsed document; `file` names it in messages. */
export function parseConfig(raw: unknown, file: string, env: NodeJS.ProcessEnv = process.env): Config {
  const problems: ConfigProblem[] = [];
  const data = substituteEnv(raw, env, problems);
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(file, [{ path: '(top level)', message: 'expected a mapping with region, domain, state and games' }]);
  }
  const result = configSchema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(...problemsFromIssue(issue, data));
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(file, problems);
  return resolveConfig(result.data);
}

/** Parses YAML text; syntax errors are reported with line and column. */
export function parseConfigText(text: string, file: string, env: NodeJS.ProcessEnv = process.env): Config {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(file, doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      const where = pos ? `line ${pos.line}, column ${pos.col}` : '(file)';
      return { path: where, message: `YAML syntax error: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` };
    }));
  }
  return parseConfig(doc.toJS(), file, env);
}

export function loadConfig(file = configPath(), env: NodeJS.ProcessEnv = process.env): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    throw new ConfigError(file, [{ path: '(file)', message: `${reason}; create it from examples/ or set GM_CONFIG to its path` }]);
  }
  return parseConfigText(text, file, env);
}
