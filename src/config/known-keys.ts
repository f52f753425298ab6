/**
 * The keys a schema allows at a field path, so that an unknown key can be
 * answered with "did you mean …". Walks zod's public `def` tree.
 */
import { z } from 'zod';
import { closest, distance } from 'fastest-levenshtein';

type AnySchema = z.core.$ZodType;

function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (;;) {
    const def = s._zod.def as unknown as { type: string; innerType?: AnySchema; in?: AnySchema };
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') && def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
}

function objectKeys(schema: AnySchema, input: unknown): string[] {
  const s = unwrap(schema);
  const def = s._zod.def as unknown as { type: string; shape?: Record<string, AnySchema>; options?: AnySchema[] };
  if (def.type === 'object' && def.shape) return Object.keys(def.shape);
  if (def.type === 'union' && def.options) {
    // A discriminated union: the option whose literal matches the input's `type`.
    const type = (input as { type?: unknown } | undefined)?.type;
    for (const option of def.options) {
      const shape = (unwrap(option)._zod.def as unknown as { shape?: Record<string, AnySchema> }).shape;
      const literal = shape?.type?._zod.def as unknown as { values?: unknown[] } | undefined;
      if (shape && literal?.values?.includes(type)) return Object.keys(shape);
    }
  }
  return [];
}

function child(schema: AnySchema, key: PropertyKey, input: unknown): AnySchema | undefined {
  const s = unwrap(schema);
  const def = s._zod.def as unknown as { type: string; shape?: Record<string, AnySchema>; element?: AnySchema; valueType?: AnySchema; options?: AnySchema[] };
  if (def.type === 'object' && def.shape) return def.shape[String(key)];
  if (def.type === 'array') return def.element;
  if (def.type === 'record') return def.valueType;
  if (def.type === 'union' && def.options) {
    const type = (input as { type?: unknown } | undefined)?.type;
    for (const option of def.options) {
      const shape = (unwrap(option)._zod.def as unknown as { shape?: Record<string, AnySchema> }).shape;
      const literal = shape?.type?._zod.def as unknown as { values?: unknown[] } | undefined;
      if (shape && literal?.values?.includes(type)) return shape[String(key)];
    }
  }
  return undefined;
}

export function knownKeysAt(root: AnySchema, path: readonly PropertyKey[], input: unknown): string[] {
  let schema: AnySchema | undefined = root;
  let value: unknown = input;
  for (const key of path) {
    if (!schema) return [];
    schema = child(schema, key, value);
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return schema ? objectKeys(schema, value) : [];
}

/** The known key closest to a misspelt one, when it is close enough to be a typo. */
export function suggest(unknown: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const best = closest(unknown, known as string[]);
  const limit = Math.max(2, Math.floor(best.length / 3));
  return distance(unknown.toLowerCase(), best.toLowerCase()) <= limit ? best : undefined;
}

/** The kind of value the schema wants at a field path (`number`, `boolean`, `string`, …), defaults and optionals unwrapped. */
export function schemaTypeAt(root: AnySchema, path: readonly PropertyKey[], input: unknown): string | undefined {
  let schema: AnySchema | undefined = root;
  let value: unknown = input;
  for (const key of path) {
    if (!schema) return undefined;
    schema = child(schema, key, value);
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return schema ? (unwrap(schema)._zod.def as unknown as { type: string }).type : undefined;
}
