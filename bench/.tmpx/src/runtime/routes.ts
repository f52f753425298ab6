/**
 * The waker's routing table: which query names wake which game. It is one
 * JSON file packed beside the waker's code (`routes.json`), not an
 * environment variable, so a zone with 50 games fits (Lambda environments
 * stop at 4 KB, about 20 games).
 */
import * as v from 'valibot';

const name = v.pipe(v.string(), v.minLength(1));

export const ROUTES_FILE = 'routes.json';

export const WakeRouteSchema = v.object({
  id: name,
  fqdn: name,
  /** Lower-case DNS names without trailing dot that belong to the game (host, SRV name). */
  names: v.pipe(v.array(name), v.minLength(1)),
  /** Query types that wake it, e.g. ["SRV"] or ["A","AAAA"]. */
  wakeOn: v.pipe(v.array(name), v.minLength(1)),
  asgName: name,
  sessionParameterName: name,
  pendingWakeParameterName: name,
});
export type WakeRoute = v.InferOutput<typeof WakeRouteSchema>;

export const WakeRoutesSchema = v.pipe(v.array(WakeRouteSchema), v.minLength(1));
