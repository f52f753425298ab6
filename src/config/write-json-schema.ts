/**
 * Writes `gamemanagement.schema.json` from the zod schema, for editor completion
 * (the shipped YAML names it in a `yaml-language-server` comment).
 * A test fails when the committed file is out of date: run `npm run schema`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { configSchema } from './schema';

export const JSON_SCHEMA_FILE = join(__dirname, '..', '..', 'gamemanagement.schema.json');

export function jsonSchemaText(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'GameManagement configuration' }, null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(JSON_SCHEMA_FILE, jsonSchemaText());
  console.log(`wrote ${JSON_SCHEMA_FILE}`);
}
