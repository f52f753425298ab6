/**
 * Writes `gamemanagement.schema.json` from the zod schema, for editor completion
 * (the shipped YAML names it in a `yaml-language-server` comment), and the
 * configuration table of README.md. A test fails when either is out of date:
 * run `npm run schema`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { withReferenceTable } from './reference-table';
import { configSchema } from './schema';
import { PLACEHOLDER_SOURCE } from './substitute-env';

export const JSON_SCHEMA_FILE = join(__dirname, '..', '..', 'gamemanagement.schema.json');
export const README_FILE = join(__dirname, '..', '..', 'README.md');

export function jsonSchema(): object {
  return { ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }), title: 'GameManagement configuration' };
}

/** A string holding `${VAR}` or `${VAR:-default}`: the loader fills it in before it checks the field. */
export const PLACEHOLDER_JSON_SCHEMA = { type: 'string', pattern: PLACEHOLDER_SOURCE.replace('(\\$?)', '') } as const;

type JsonNode = Record<string, unknown>;

/**
 * Every scalar field (a string with a format or pattern, a number, a boolean,
 * an enum) also accepts a placeholder, as the loader does, so editors do not
 * mark `${GM_ALERT_EMAIL:-admin@example.com}` as a wrong e-mail.
 */
export function withPlaceholders(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withPlaceholders);
  if (!node || typeof node !== 'object') return node;
  const out: JsonNode = {};
  for (const [key, value] of Object.entries(node as JsonNode)) {
    // Property names and record keys are written as is: the loader substitutes values only.
    out[key] = key === 'propertyNames' ? value : key === 'properties' || key === '$defs' || key === 'definitions'
      ? Object.fromEntries(Object.entries(value as JsonNode).map(([k, v]) => [k, withPlaceholders(v)]))
      : withPlaceholders(value);
  }
  const type = out.type;
  const scalar = out.enum !== undefined || out.const !== undefined
    || (typeof type === 'string' && ['string', 'number', 'integer', 'boolean'].includes(type));
  const free = type === 'string' && out.pattern === undefined && out.format === undefined && out.enum === undefined
    && out.minLength === undefined && out.maxLength === undefined;
  if (!scalar || free) return out;
  const { description, default: fallback, ...check } = out;
  return {
    ...(description !== undefined ? { description } : {}),
    ...(fallback !== undefined ? { default: fallback } : {}),
    anyOf: [check, PLACEHOLDER_JSON_SCHEMA],
  };
}

export function jsonSchemaText(): string {
  return `${JSON.stringify(withPlaceholders(jsonSchema()), null, 2)}\n`;
}

/** README.md as it should be: its configuration table regenerated. */
export function readmeText(): string {
  return withReferenceTable(readFileSync(README_FILE, 'utf8'), jsonSchema());
}

if (require.main === module) {
  writeFileSync(JSON_SCHEMA_FILE, jsonSchemaText());
  writeFileSync(README_FILE, readmeText());
  console.log('wrote gamemanagement.schema.json and the configuration table in README.md');
}
