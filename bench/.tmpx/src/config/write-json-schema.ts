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

export const JSON_SCHEMA_FILE = join(__dirname, '..', '..', 'gamemanagement.schema.json');
export const README_FILE = join(__dirname, '..', '..', 'README.md');

export function jsonSchema(): object {
  return { ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }), title: 'GameManagement configuration' };
}

export function jsonSchemaText(): string {
  return `${JSON.stringify(jsonSchema(), null, 2)}\n`;
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
