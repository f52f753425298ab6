/**
 * Reads `gamemanagement.yaml` (or `GM_CONFIG`), replaces `${VAR}`, validates
 * it and returns the resolved config — or throws one ConfigError that names
 * every problem by its field path. Nothing is synthesized before this returns.
 */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { isAlias, isCollection, LineCounter, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { ConfigError, ConfigProblem, formatPath } from './config-error';
import { knownKeysAt, schemaTypeAt, suggest } from './known-keys';
import { Config, resolveConfig } from './resolve';
import { configSchema, RESERVED_KEYS } from './schema';
import { emptySubstitutions, Substitutions, substituteEnv } from './substitute-env';

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

/** zod's own wording for a wrong type ("Invalid input: expected string, received array"); fields with a message of their own never show it. */
const DEFAULT_TYPE_MESSAGE = /^Invalid input: expected \w+(, received \w+)?$/;

/** The one place zod's type names become plain words, for a field without its own message. */
const PLAIN_TYPES: Readonly<Record<string, string>> = {
  string: 'expected text',
  number: 'expected a number',
  int: 'expected a whole number',
  boolean: 'expected true or false',
  record: 'expected a mapping of names to values',
  object: 'expected a mapping',
  array: 'expected a list',
  nonoptional: 'expected a value',
};

/** Length and size limits without a message of their own, in plain words: "found 240 characters; expected at most 200". */
function sizeProblem(issue: z.core.$ZodIssue, value: unknown): string | undefined {
  if (issue.code !== 'too_big' && issue.code !== 'too_small') return undefined;
  if (!/^Too (big|small): /.test(issue.message)) return undefined;
  const limit = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
  const inclusive = issue.inclusive !== false;
  const bound = issue.code === 'too_big'
    ? (inclusive ? `at most ${limit}` : `less than ${limit}`)
    : (inclusive ? `at least ${limit}` : `more than ${limit}`);
  const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  switch (issue.origin) {
    case 'string':
      return `found ${count(typeof value === 'string' ? [...value].length : 0, 'character')}; expected ${bound} characters`;
    case 'array':
    case 'set':
      return `found ${count(Array.isArray(value) ? value.length : 0, 'item')}; expected ${bound} items`;
    default:
      return `found ${describe(value)}; expected ${bound}`;
  }
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
  if (issue.code === 'invalid_key') {
    // A map key (game id, variable name, tag key) that its own check refused: say which key and why.
    const inner = issue.issues[0]?.message ?? 'expected another key';
    const key = path[path.length - 1];
    return [{ path: formatPath(path), message: inner.startsWith('found ') ? inner : `found the key ${JSON.stringify(String(key))}; ${inner}` }];
  }
  const at = valueAt(input, path);
  const sized = sizeProblem(issue, at.value);
  if (sized) return [{ path: formatPath(path), message: sized }];
  let expected = issue.message.replace(/^Invalid input: /, '').replace(/, received \w+$/, '');
  if (issue.code === 'invalid_type' && DEFAULT_TYPE_MESSAGE.test(issue.message)) expected = PLAIN_TYPES[issue.expected] ?? `expected ${issue.expected}`;
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

/**
 * Keys that JavaScript objects treat specially would be dropped or change an
 * object's prototype on the way to the schema: refused, and removed so that
 * nothing else reports them again.
 */
function withoutReservedKeys(value: unknown, problems: ConfigProblem[], path: PropertyKey[] = []): unknown {
  if (Array.isArray(value)) return value.map((item, i) => withoutReservedKeys(item, problems, [...path, i]));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (RESERVED_KEYS.has(key)) {
      problems.push({ path: formatPath([...path, key]), message: `found the key ${JSON.stringify(key)}; expected another name (${[...RESERVED_KEYS].join(', ')} are reserved)` });
      continue;
    }
    Object.defineProperty(out, key, { value: withoutReservedKeys(item, problems, [...path, key]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A value from the environment is always text; where the schema wants a
 * number or a boolean, text that spells one is read as one, as if written in
 * the file (`port: ${MC_PORT}` with MC_PORT=25565).
 */
function typeSubstituted(value: unknown, root: unknown, seen: Substitutions, path: PropertyKey[] = []): unknown {
  if (typeof value === 'string') {
    if (!seen.replaced.has(formatPath(path)) || seen.failed.has(formatPath(path))) return value;
    const wanted = schemaTypeAt(configSchema, path, root);
    const text = value.trim();
    if (wanted === 'number' && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    if (wanted === 'boolean' && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => typeSubstituted(item, root, seen, [...path, i]));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = typeSubstituted(item, root, seen, [...path, key]);
    return out;
  }
  return value;
}

/** One root cause, one line: problems that only follow from one already reported are left out. */
function withoutFollowOnIssues(issues: readonly z.core.$ZodIssue[], input: unknown, seen: Substitutions): z.core.$ZodIssue[] {
  // A misspelt key: the key it was meant to be is not also "missing".
  const meant = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const known = knownKeysAt(configSchema, issue.path as PropertyKey[], input);
    for (const key of issue.keys) {
      const guess = suggest(key, known);
      if (guess) meant.add(formatPath([...(issue.path as PropertyKey[]), guess]));
    }
  }
  return issues.filter((issue) => {
    const path = formatPath(issue.path as PropertyKey[]);
    // An unset ${VAR} is reported by substitution; the placeholder text failing the field's format is no news.
    if (seen.failed.has(path)) return false;
    if (meant.has(path) && !valueAt(input, issue.path as PropertyKey[]).found) return false;
    return true;
  });
}

/**
 * One line per value: zod reports each check a value fails (not a whole
 * number, and past the maximum), often with one message; the first says it.
 */
function onceEach(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const found = /^found (.*?); /.exec(p.message)?.[1];
    const line = found === undefined ? `${p.path}: ${p.message}` : `${p.path}: found ${found}`;
    if (seen.has(line)) return false;
    seen.add(line);
    return true;
  });
}

/** Validates an already-parsed document; `file` names it in messages. */
export function parseConfig(raw: unknown, file: string, env: NodeJS.ProcessEnv = process.env): Config {
  const problems: ConfigProblem[] = [];
  const seen = emptySubstitutions();
  const substituted = substituteEnv(withoutReservedKeys(raw, problems), env, problems, [], seen);
  if (!substituted || typeof substituted !== 'object' || Array.isArray(substituted)) {
    throw new ConfigError(file, [{ path: '(top level)', message: 'expected a mapping with region, domain, state and games' }]);
  }
  const data = typeSubstituted(substituted, substituted, seen);
  const result = configSchema.safeParse(data);
  if (!result.success) {
    for (const issue of withoutFollowOnIssues(result.error.issues, data, seen)) problems.push(...problemsFromIssue(issue, data));
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(file, onceEach(problems));
  return resolveConfig(result.data);
}

/** The line a YAML error really belongs to: indentation errors point at the comment or blank line before it. */
function reportedLine(lines: readonly string[], line: number, col: number): { line: number; col: number } {
  let at = line;
  while (at <= lines.length && /^\s*(#.*)?$/.test(lines[at - 1] ?? '')) at += 1;
  if (at === line || at > lines.length) return { line, col };
  return { line: at, col: (lines[at - 1]!.search(/\S/) + 1) || 1 };
}

/**
 * The file's bytes as text; bytes that are not UTF-8 are an error naming
 * their line (decoding would silently turn them into U+FFFD).
 */
export function decodeConfigBytes(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let start = 0;
    let line = 1;
    for (let i = 0; i <= bytes.length; i += 1) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          decoder.decode(bytes.subarray(start, i));
        } catch {
          break;
        }
        start = i + 1;
        line += 1;
      }
    }
    throw new ConfigError(file, [{ path: `line ${line}`, message: 'found bytes that are not UTF-8; save the file as UTF-8' }]);
  }
}

/** Parses YAML text; syntax errors are reported with line and column. */
export function parseConfigText(text: string, file: string, env: NodeJS.ProcessEnv = process.env): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter });
  if (doc.errors.length === 0) {
    // A list or mapping as a key ("? - path: /data"): JavaScript would turn it into text, and the yaml library warns on stderr.
    const problems: ConfigProblem[] = [];
    visit(doc, {
      Pair(_, pair) {
        const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
        if (!isCollection(key)) return;
        const at = (pair.key as { range?: [number, number, number] } | null)?.range?.[0];
        const pos = at === undefined ? undefined : lineCounter.linePos(at);
        problems.push({
          path: pos ? `line ${pos.line}, column ${pos.col}` : '(file)',
          message: 'found a list or mapping used as a key (a stray "? " before it?); expected a plain key such as "path:"',
        });
      },
    });
    if (problems.length > 0) throw new ConfigError(file, problems);
  }
  if (doc.errors.length > 0) {
    const lines = text.split(/\r?\n/);
    throw new ConfigError(file, doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      const at = pos && (e.code === 'BAD_INDENT' || e.code === 'MISSING_CHAR' || e.code === 'UNEXPECTED_TOKEN') ? reportedLine(lines, pos.line, pos.col) : pos;
      const where = at ? `line ${at.line}, column ${at.col}` : '(file)';
      return { path: where, message: `YAML syntax error: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` };
    }));
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // The yaml library refuses documents whose aliases expand too far (a "billion laughs").
    const message = e instanceof ReferenceError && /alias/i.test(e.message)
      ? 'found more than 100 alias expansions (*name); expected a file without alias bombs: write the values out or use fewer aliases'
      : `could not read the YAML (${(e as Error).message}); check the aliases (*name) and anchors (&name)`;
    throw new ConfigError(file, [{ path: '(file)', message }]);
  }
  return parseConfig(raw, file, env);
}

export function loadConfig(file = configPath(), env: NodeJS.ProcessEnv = process.env): Config {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    throw new ConfigError(file, [{ path: '(file)', message: `${reason}; create it from examples/ or set GM_CONFIG to its path` }]);
  }
  return parseConfigText(decodeConfigBytes(bytes, file), file, env);
}
