/**
 * The routing table (which names wake which game), read from `routes.json`
 * once per cold start: `GM_ROUTES_FILE` when set (local runs), else the file
 * packed beside the bundle. A missing or invalid file is an error naming the
 * file and the problem.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { ROUTES_FILE, WakeRoutesSchema, type WakeRoute } from '../../runtime/routes';
import { routesProblem } from './messages';

/** Where the table is: `GM_ROUTES_FILE`, or `routes.json` beside this code (the bundle's index.js). */
export function routesFile(configured: string | undefined, dir: string = __dirname): string {
  return configured ?? join(dir, ROUTES_FILE);
}

/** Reads and checks the table; throws a sentence naming the file and every problem. */
export function readRoutes(file: string): readonly WakeRoute[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(routesProblem(file, code === 'ENOENT' ? 'does not exist' : `cannot be read (${(e as Error).message})`));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(routesProblem(file, `is not valid JSON (${(e as Error).message})`));
  }
  const result = v.safeParse(WakeRoutesSchema, json);
  if (!result.success) {
    const problems = result.issues.map((issue) => `${v.getDotPath(issue) ?? '(the table)'}: ${issue.message}`);
    throw new Error(routesProblem(file, `is not a list of routes ({id, fqdn, names, wakeOn, asgName, sessionParameterName, pendingWakeParameterName}): ${problems.join('; ')}`));
  }
  const ids = result.output.map((r) => r.id);
  const duplicates = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  if (duplicates.length > 0) throw new Error(routesProblem(file, `lists game ${duplicates.join(', ')} more than once`));
  return Object.freeze(result.output);
}
