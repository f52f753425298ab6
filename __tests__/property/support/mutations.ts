/**
 * Careless and hostile edits of a valid configuration, as fast-check
 * arbitraries: each mutation picks its target with a number (`at`, taken
 * modulo the candidates of the document as it is at that point), so shrinking
 * moves towards the first field and the simplest value. `applyMutations`
 * returns the edited YAML text plus what was done, in words, for the report.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

export type Key = string | number;
export type Path = readonly Key[];

/** Strings a careless or hostile user writes, and the ones the issue names. */
export const HOSTILE_STRINGS: readonly string[] = [
  '${path.cwd}', '%{', '${', '}', '%{ if true }gmhostile%{ endif }', '$${gmhostile}', 'x${file("/etc/passwd")}y',
  '${aws_gmhostile.x.id}', '${TfToken[TOKEN.1]}', '${GM_UNSET}', '$${GM_HOSTILE}', '%%{gmhostile}',
  '__proto__', 'constructor', 'toString', '',
  ' ', '\t', '\n', 'a\nb', ' leading', 'trailing ', 'ünïcödé', '🎮', '\u202Egm', '\u0000', 'zero\u200Bwidth', 'Ａ', 'ǅ',
  '"quoted"', "it's", '\\', 'a"b\\c', '<script>', '`id`', '$(id)',
  'aws:gm', 'aws', 'ssm', 'AWS', '/', '/data/../etc', '//data', '/data/', '/data//x', '/./data', '..', '-', '-gm', 'gm-', 'xn--gm',
  'x'.repeat(63), 'x'.repeat(64), 'x'.repeat(300), 'a.'.repeat(130), 'A'.repeat(5000),
  '25565', '1e3', 'true', 'null', '0x10', '-1', '~', '*', '&', '!!binary', '#', 'UPPER', 'mc',
  't4g.mediun', 't4g.medium', 'x9z.large', 'minecraftbe', 'mbe', 'minecraft', 'valheim',
  '10.0.0.0/8', '999.0.0.0/16', '0.0.0.0/0', '10.0.0.1/33', 'us-moon-1', 'eu-west-1', 'fs-0123456789abcdef0',
  'user@example.com', 'not-an-email', 'bad..name', 'UPPER.example.com', 'example.com', 'a.b',
];

export const HOSTILE_NUMBERS: readonly number[] = [
  0, -1, 1, 1.5, -0, 127, 128, 65535, 65536, 70000, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, Number.NaN, Number.POSITIVE_INFINITY,
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

/** Any value a field may be replaced with: hostile strings and numbers, other types, nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [1, 2], { a: 1 }, [[[]]], { __gm: { nested: [null] } }) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 2 }) },
);

/** Keys added or renamed to: misspellings, prototype names, hostile text. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'imgae', 'port ', 'Image', 'idleMinutes', 'aws:created', 'aws', '', ' ', 'x'.repeat(200), 'mc', 'games', '0', '${path.cwd}', '%{', 'ünï', 'A-B', 'a.b', 'UPPER') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }) },
);

/** Environment variables the generated environment holds (`GM_UNSET` is never set). */
export const ENV_VARIABLES = ['GM_HOSTILE', 'MC_PORT', 'GM_EMPTY', 'GM_UNSET', 'GM_ALERT_EMAIL'] as const;

export type Mutation =
  | { readonly kind: 'drop'; readonly at: number }
  | { readonly kind: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'retype'; readonly at: number }
  | { readonly kind: 'envRef'; readonly at: number; readonly variable: string; readonly fallback?: string; readonly escaped: boolean }
  | { readonly kind: 'addKey'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly kind: 'renameKey'; readonly at: number; readonly key: string }
  | { readonly kind: 'duplicateItem'; readonly at: number }
  | { readonly kind: 'swap'; readonly at: number }
  | { readonly kind: 'freeText'; readonly target: FreeTextTarget; readonly key: string; readonly value: string };

/** Fields that take free text, where hostile text can pass validation and reach the JSON. */
export const FREE_TEXT_TARGETS = ['tag value', 'tag key', 'environment value', 'environment name', 'egress description', 'image', 'volume path', 'e-mail'] as const;
export type FreeTextTarget = typeof FREE_TEXT_TARGETS[number];

export type TextMutation =
  | { readonly kind: 'duplicateLine'; readonly at: number }
  | { readonly kind: 'deleteLine'; readonly at: number }
  | { readonly kind: 'indent'; readonly at: number; readonly by: string }
  | { readonly kind: 'dedent'; readonly at: number }
  | { readonly kind: 'insertText'; readonly at: number; readonly column: number; readonly text: string }
  | { readonly kind: 'aliasBomb'; readonly depth: number; readonly width: number }
  | { readonly kind: 'manyAliases'; readonly count: number };

const at = fc.nat({ max: 10_000 });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace' as const), at, value: hostileValue }) },
  fc.record({ kind: fc.constant('retype' as const), at }),
  fc.record({
    kind: fc.constant('envRef' as const), at, variable: fc.constantFrom(...ENV_VARIABLES),
    fallback: fc.option(fc.constantFrom('', 'x', '25565', 'admin@example.com', 'a b', '$', '%{'), { nil: undefined }), escaped: fc.boolean(),
  }, { requiredKeys: ['kind', 'at', 'variable', 'escaped'] }),
  fc.record({ kind: fc.constant('addKey' as const), at, key: hostileKey, value: hostileValue }),
  fc.record({ kind: fc.constant('renameKey' as const), at, key: hostileKey }),
  fc.record({ kind: fc.constant('duplicateItem' as const), at }),
  fc.record({ kind: fc.constant('swap' as const), at }),
);

/** Hostile text in a field that takes free text, in the first game. */
export function freeTextMutationOf(targets: readonly FreeTextTarget[], values: fc.Arbitrary<string>, keys: fc.Arbitrary<string> = hostileKey): fc.Arbitrary<Mutation> {
  return fc.record({
    kind: fc.constant('freeText' as const),
    target: fc.constantFrom(...targets),
    key: fc.oneof(fc.constantFrom('GM_VALUE', 'SERVER_PASS', 'owner'), keys),
    value: values,
  });
}

export const freeTextMutation: fc.Arbitrary<Mutation> = freeTextMutationOf(FREE_TEXT_TARGETS, hostileString);

/** Text Terraform would evaluate if it reached cdk.tf.json unescaped; `gmhostile` marks it. */
export const TEMPLATE_STRINGS: readonly string[] = HOSTILE_STRINGS.filter((s) => s.includes('{'));

/** Template text in the fields that accept any text, written or through `${GM_HOSTILE}`. */
export const templateMutation: fc.Arbitrary<Mutation> = freeTextMutationOf(
  ['environment value', 'egress description', 'tag value'],
  fc.oneof(fc.constantFrom(...TEMPLATE_STRINGS), fc.constantFrom(...TEMPLATE_STRINGS).map((t) => `before ${t} after`), fc.constant('${GM_HOSTILE}')),
  fc.constantFrom('GM_TEXT', 'DESCRIPTION', 'MOTD'),
);

export const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('duplicateLine' as const), at }),
  fc.record({ kind: fc.constant('deleteLine' as const), at }),
  fc.record({ kind: fc.constant('indent' as const), at, by: fc.constantFrom(' ', '  ', '\t', '   ') }),
  fc.record({ kind: fc.constant('dedent' as const), at }),
  fc.record({
    kind: fc.constant('insertText' as const), at, column: fc.nat({ max: 40 }),
    text: fc.constantFrom('\t', '\uFEFF', ': ', ':', '{', '[', '&a ', '*a', '*nope', '---\n', '%YAML 1.1\n', '!!str ', '!!binary ', '!custom ', '? ', '- ', '"', "'", '#', '\u0000', '\uFFFD', '\r', '<<: *a\n'),
  }),
  fc.record({ kind: fc.constant('aliasBomb' as const), depth: fc.integer({ min: 1, max: 9 }), width: fc.integer({ min: 2, max: 9 }) }),
  fc.record({ kind: fc.constant('manyAliases' as const), count: fc.integer({ min: 1, max: 400 }) }),
);

function isMap(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Every node below the root, parents first. */
function nodes(doc: unknown, path: Key[] = []): { path: Path; value: unknown }[] {
  const out: { path: Path; value: unknown }[] = [];
  const children: [Key, unknown][] = Array.isArray(doc) ? doc.map((v, i) => [i, v]) : isMap(doc) ? Object.entries(doc) : [];
  for (const [key, value] of children) {
    out.push({ path: [...path, key], value });
    out.push(...nodes(value, [...path, key]));
  }
  return out;
}

function get(doc: unknown, path: Path): unknown {
  let value = doc;
  for (const key of path) value = (value as Record<Key, unknown>)[key];
  return value;
}

/** Sets an own property, so `__proto__` becomes a key and not the prototype. */
function setOwn(target: Record<Key, unknown>, key: Key, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function set(doc: unknown, path: Path, value: unknown): void {
  setOwn(get(doc, path.slice(0, -1)) as Record<Key, unknown>, path[path.length - 1]!, value);
}

function remove(doc: unknown, path: Path): void {
  const parent = get(doc, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete (parent as Record<Key, unknown>)[key];
}

/** A map with `key` renamed to `to`, keeping the order of keys. */
function renamed(map: Record<string, unknown>, key: string, to: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(map)) setOwn(out, k === key ? to : k, v);
  return out;
}

export function formatPath(path: Path): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key;
  return out || '(top level)';
}

function show(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export interface Applied {
  /** What was done, in order, for the report. */
  readonly steps: string[];
  /** The fields the mutations changed (the new key's path for added and renamed keys). */
  readonly touched: Path[];
}

/** Applies object-level mutations to `doc` in place; a mutation with no candidate is skipped. */
export function applyMutations(doc: Record<string, unknown>, mutations: readonly Mutation[]): Applied {
  const steps: string[] = [];
  const touched: Path[] = [];
  for (const m of mutations) {
    const all = nodes(doc);
    const pick = <T>(list: T[]): T | undefined => (list.length === 0 ? undefined : list[('at' in m ? m.at : 0) % list.length]);
    switch (m.kind) {
      case 'drop': {
        const n = pick(all);
        if (!n) break;
        remove(doc, n.path);
        steps.push(`drop ${formatPath(n.path)}`);
        touched.push(n.path);
        break;
      }
      case 'replace': {
        const n = pick(all);
        if (!n) break;
        set(doc, n.path, m.value);
        steps.push(`replace ${formatPath(n.path)} with ${show(m.value)}`);
        touched.push(n.path);
        break;
      }
      case 'retype': {
        const n = pick(all.filter((c) => c.value !== undefined));
        if (!n) break;
        const v = n.value;
        const to = typeof v === 'number' || typeof v === 'boolean' ? String(v)
          : typeof v === 'string' ? (Number.isFinite(Number(v)) && v.trim() !== '' ? Number(v) : [v])
            : v === null ? 0 : JSON.stringify(v);
        set(doc, n.path, to);
        steps.push(`retype ${formatPath(n.path)}: ${show(v)} -> ${show(to)}`);
        touched.push(n.path);
        break;
      }
      case 'envRef': {
        const n = pick(all.filter((c) => c.value === null || typeof c.value !== 'object'));
        if (!n) break;
        const ref = `${m.escaped ? '$' : ''}\${${m.variable}${m.fallback !== undefined ? `:-${m.fallback}` : ''}}`;
        set(doc, n.path, ref);
        steps.push(`replace ${formatPath(n.path)} with ${show(ref)}`);
        touched.push(n.path);
        break;
      }
      case 'addKey': {
        const maps: { path: Path; value: unknown }[] = [{ path: [], value: doc }, ...all.filter((c) => isMap(c.value))];
        const n = pick(maps)!;
        setOwn(n.value as Record<Key, unknown>, m.key, m.value);
        steps.push(`add ${formatPath([...n.path, m.key])}: ${show(m.value)}`);
        touched.push([...n.path, m.key]);
        break;
      }
      case 'renameKey': {
        const n = pick(all.filter((c) => typeof c.path[c.path.length - 1] === 'string'));
        if (!n) break;
        const parentPath = n.path.slice(0, -1);
        const key = n.path[n.path.length - 1] as string;
        const parent = get(doc, parentPath) as Record<string, unknown>;
        const next = renamed(parent, key, m.key);
        if (parentPath.length === 0) {
          for (const k of Object.keys(doc)) delete doc[k];
          for (const [k, v] of Object.entries(next)) setOwn(doc, k, v);
        } else {
          set(doc, parentPath, next);
        }
        steps.push(`rename ${formatPath(n.path)} to ${show(m.key)}`);
        touched.push([...parentPath, m.key]);
        break;
      }
      case 'duplicateItem': {
        const n = pick(all.filter((c) => Array.isArray(c.value) && c.value.length > 0));
        if (!n) break;
        const list = n.value as unknown[];
        const item = list[m.at % list.length];
        list.push(structuredClone(item));
        steps.push(`duplicate ${formatPath([...n.path, m.at % list.length])} at the end of ${formatPath(n.path)}`);
        touched.push(n.path);
        break;
      }
      case 'swap': {
        const n = pick(all.filter((c) => c.value !== null && typeof c.value === 'object'));
        if (!n) break;
        const v = n.value;
        const to = Array.isArray(v) ? Object.fromEntries(v.map((item, i) => [`item${i}`, item])) : Object.entries(v as object).map(([k, x]) => ({ [k]: x }));
        set(doc, n.path, to);
        steps.push(`swap ${formatPath(n.path)} from a ${Array.isArray(v) ? 'list to a map' : 'map to a list'}`);
        touched.push(n.path);
        break;
      }
      case 'freeText': {
        const games = (isMap(doc.games) ? doc.games : {}) as Record<string, Record<string, unknown>>;
        const id = Object.keys(games)[0];
        const game = id === undefined ? undefined : games[id];
        if (!isMap(game) && m.target !== 'tag value' && m.target !== 'tag key') break;
        const g = game as Record<string, unknown>;
        const map = (parent: Record<string, unknown>, key: string): Record<string, unknown> => {
          if (!isMap(parent[key])) setOwn(parent, key, {});
          return parent[key] as Record<string, unknown>;
        };
        const list = (parent: Record<string, unknown>, key: string): unknown[] => {
          if (!Array.isArray(parent[key])) setOwn(parent, key, []);
          return parent[key] as unknown[];
        };
        let path: Path;
        switch (m.target) {
          case 'tag value': setOwn(map(doc, 'tags'), m.key, m.value); path = ['tags', m.key]; break;
          case 'tag key': setOwn(map(doc, 'tags'), m.value, 'v'); path = ['tags', m.value]; break;
          case 'environment value': setOwn(map(g, 'environment'), m.key, m.value); path = ['games', id!, 'environment', m.key]; break;
          case 'environment name': setOwn(map(g, 'environment'), m.value, 'v'); path = ['games', id!, 'environment', m.value]; break;
          case 'egress description': path = ['games', id!, 'egress', list(g, 'egress').push({ port: 443, description: m.value }) - 1, 'description']; break;
          case 'image': setOwn(g, 'image', m.value); path = ['games', id!, 'image']; break;
          case 'volume path': path = ['games', id!, 'volumes', list(g, 'volumes').push({ path: `/${m.value}` }) - 1, 'path']; break;
          case 'e-mail': path = ['alerts', 'emails', list(map(doc, 'alerts'), 'emails').push(m.value) - 1]; break;
        }
        steps.push(`set ${m.target} ${formatPath(path)} to ${show(m.target.endsWith('key') || m.target.endsWith('name') ? 'v' : m.target === 'volume path' ? `/${m.value}` : m.value)}`);
        touched.push(path);
        break;
      }
    }
  }
  return { steps, touched };
}

/** Applies text-level mutations to YAML text. */
export function applyTextMutations(text: string, mutations: readonly TextMutation[]): { text: string; steps: string[] } {
  const steps: string[] = [];
  let lines = text.split('\n');
  for (const m of mutations) {
    const line = (n: number) => n % Math.max(lines.length, 1);
    switch (m.kind) {
      case 'duplicateLine': {
        const i = line(m.at);
        lines.splice(i, 0, lines[i] ?? '');
        steps.push(`duplicate line ${i + 1}`);
        break;
      }
      case 'deleteLine': {
        const i = line(m.at);
        lines.splice(i, 1);
        steps.push(`delete line ${i + 1}`);
        break;
      }
      case 'indent': {
        const i = line(m.at);
        lines[i] = m.by + (lines[i] ?? '');
        steps.push(`indent line ${i + 1} by ${JSON.stringify(m.by)}`);
        break;
      }
      case 'dedent': {
        const i = line(m.at);
        lines[i] = (lines[i] ?? '').replace(/^ {1,2}/, '');
        steps.push(`dedent line ${i + 1}`);
        break;
      }
      case 'insertText': {
        const i = line(m.at);
        const l = lines[i] ?? '';
        const c = Math.min(m.column, l.length);
        lines[i] = l.slice(0, c) + m.text + l.slice(c);
        steps.push(`insert ${JSON.stringify(m.text)} at line ${i + 1}, column ${c + 1}`);
        break;
      }
      case 'aliasBomb': {
        // Billion laughs: each level holds `width` aliases of the one before.
        const bomb = ['x-bomb:', '  l0: &l0 [lol, lol]'];
        for (let d = 1; d <= m.depth; d++) bomb.push(`  l${d}: &l${d} [${Array.from({ length: m.width }, () => `*l${d - 1}`).join(', ')}]`);
        lines = [...lines, ...bomb];
        steps.push(`append an alias bomb of depth ${m.depth}, width ${m.width}`);
        break;
      }
      case 'manyAliases': {
        // Aliases inside a real field, more of them than the parser may allow.
        lines = [...lines, 'tags:', '  anchor: &t v', ...Array.from({ length: m.count }, (_, i) => `  t${i}: *t`)];
        steps.push(`append tags with ${m.count} aliases`);
        break;
      }
    }
  }
  return { text: lines.join('\n'), steps };
}

/** The document as YAML text, the way a user would have written it. */
export function toYaml(doc: unknown): string {
  return stringify(doc);
}
