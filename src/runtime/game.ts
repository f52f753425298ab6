/**
 * One game as its functions see it: names of the game's resources and the
 * watchdog settings. The constructs write it at synth (`GM_GAME`, JSON); the
 * functions check it once per cold start against the same schema. Each
 * function receives only the fields it reads (see `env.ts`), so a game with
 * many ports cannot overflow another function's 4 KB environment.
 */
import * as v from 'valibot';

const name = v.pipe(v.string(), v.minLength(1));

export const RuntimeProbeSchema = v.variant('type', [
  v.object({ type: v.literal('query'), game: name, port: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535)) }),
  v.object({ type: v.literal('connections') }),
  v.object({ type: v.literal('traffic'), bytesPerMinute: v.pipe(v.number(), v.minValue(0)) }),
]);
export type RuntimeProbe = v.InferOutput<typeof RuntimeProbeSchema>;

export const RuntimePortSchema = v.object({
  port: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535)),
  protocol: v.picklist(['tcp', 'udp']),
});

export const RuntimeGameSchema = v.object({
  id: name,
  fqdn: name,
  hostedZoneId: name,
  /** SRV record name, when the game has one (its target is `fqdn`, which does not change). */
  srvName: v.optional(name),
  ipv6: v.boolean(),
  asgName: name,
  clusterName: name,
  serviceName: name,
  /** Task definition family; the newest ACTIVE revision is rolled out at each start. */
  taskFamily: name,
  /** EventBridge rule (every minute) that runs the watchdog; enabled only while an instance exists. */
  watchdogRuleName: name,
  /** SSM parameter (String, JSON `WatchdogState`) where the watchdog keeps its state between runs. */
  stateParameterName: name,
  /** SSM parameter that exists while a session (start → stop) is live; see `session.ts`. */
  sessionParameterName: name,
  /** SSM parameter holding a wake that arrived while the game was stopping; see `session.ts`. */
  pendingWakeParameterName: name,
  /** SSM Command document that runs host/count-connections.sh (parameter `ports`, e.g. "tcp:25565 udp:19132"). */
  connectionsDocumentName: name,
  /** Log group of the game container (for `gm logs`). */
  logGroupName: name,
  ports: v.array(RuntimePortSchema),
  probe: RuntimeProbeSchema,
  idleMinutes: v.pipe(v.number(), v.minValue(1)),
  startupMinutes: v.pipe(v.number(), v.minValue(1)),
  maxHours: v.pipe(v.number(), v.minValue(0)),
  stopAfterMaxHours: v.boolean(),
  stopTimeoutSeconds: v.pipe(v.number(), v.minValue(0)),
  /** Spot capacity: a failed launch may fall back to on-demand for one start. */
  spot: v.boolean(),
  /**
   * List price of one running hour (instance at on-demand, root volume, public
   * IPv4), from the price table at synth; absent when the table has no price
   * for the instance type in the region. The stopped notice quotes it.
   */
  usdPerHour: v.optional(v.pipe(v.number(), v.minValue(0))),
});
export type RuntimeGame = v.InferOutput<typeof RuntimeGameSchema>;
export type RuntimeGameKey = keyof RuntimeGame;

/** The fields each per-game function reads; the constructs pass exactly these. */
export const GAME_FIELDS = {
  'instance-hook': [
    'id', 'fqdn', 'hostedZoneId', 'ipv6', 'asgName', 'clusterName', 'serviceName', 'taskFamily',
    'watchdogRuleName', 'stateParameterName', 'sessionParameterName', 'pendingWakeParameterName',
    'stopTimeoutSeconds', 'spot', 'usdPerHour',
  ],
  watchdog: [
    'id', 'fqdn', 'hostedZoneId', 'srvName', 'asgName', 'clusterName', 'serviceName', 'watchdogRuleName', 'stateParameterName',
    'sessionParameterName', 'connectionsDocumentName', 'logGroupName', 'ports', 'probe', 'idleMinutes', 'startupMinutes',
    'maxHours', 'stopAfterMaxHours',
  ],
  failsafe: ['id', 'fqdn', 'asgName', 'clusterName', 'serviceName', 'watchdogRuleName', 'stateParameterName'],
} as const satisfies Record<string, readonly RuntimeGameKey[]>;

export type GameFunction = keyof typeof GAME_FIELDS;
/** The part of the game one function sees. */
export type GameView<F extends GameFunction> = Pick<RuntimeGame, (typeof GAME_FIELDS)[F][number]>;

export function gameViewSchema<F extends GameFunction>(fn: F) {
  return v.pick(RuntimeGameSchema, GAME_FIELDS[fn]);
}

/** Only the fields `fn` reads, in the schema's order (stable JSON between synths). */
export function gameView<F extends GameFunction>(fn: F, game: RuntimeGame): GameView<F> {
  const fields: readonly RuntimeGameKey[] = GAME_FIELDS[fn];
  return Object.fromEntries(Object.keys(RuntimeGameSchema.entries).filter((k) => fields.includes(k as RuntimeGameKey) && game[k as RuntimeGameKey] !== undefined).map((k) => [k, game[k as RuntimeGameKey]])) as GameView<F>;
}
