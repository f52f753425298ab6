/**
 * What each function learns about its game(s) from its environment. The
 * constructs write these JSON values at synth time; the functions read them
 * once per cold start. Kept small: Lambda environments are limited to 4 KB.
 */
export type RuntimeProbe =
  | { readonly type: 'query'; readonly game: string; readonly port: number }
  | { readonly type: 'connections' }
  | { readonly type: 'traffic'; readonly bytesPerMinute: number };

/** One game as the waker sees it (env `GM_GAMES`, a JSON array). */
export interface WakeTarget {
  readonly id: string;
  /** Lower-case DNS names without trailing dot that belong to the game (host, SRV name). */
  readonly names: readonly string[];
  /** Query types that wake it, e.g. ["SRV"] or ["A","AAAA"]. */
  readonly wakeOn: readonly string[];
  readonly asgName: string;
  readonly fqdn: string;
}

/** One game as its own functions see it (env `GM_GAME`, a JSON object). */
export interface RuntimeGame {
  readonly id: string;
  readonly fqdn: string;
  readonly hostedZoneId: string;
  /** SRV record name, when the game has one (its target is `fqdn`, which does not change). */
  readonly srvName?: string;
  readonly ipv6: boolean;
  readonly asgName: string;
  readonly clusterName: string;
  readonly serviceName: string;
  /** Task definition family; the newest ACTIVE revision is rolled out at each start. */
  readonly taskFamily: string;
  /** EventBridge rule (every minute) that runs the watchdog; enabled only while an instance exists. */
  readonly watchdogRuleName: string;
  /** SSM parameter (String, JSON) where the watchdog keeps its state between runs. */
  readonly stateParameterName: string;
  readonly ports: readonly { readonly port: number; readonly protocol: 'tcp' | 'udp' }[];
  readonly probe: RuntimeProbe;
  readonly idleMinutes: number;
  readonly startupMinutes: number;
  readonly maxHours: number;
  readonly stopAfterMaxHours: boolean;
  readonly stopTimeoutSeconds: number;
}

/** Records point here while the game is stopped: documentation ranges, never 0.0.0.0 (which reaches the player's own machine). */
export const PLACEHOLDER_IPV4 = '192.0.2.1';
export const PLACEHOLDER_IPV6 = '2001:db8::1';
/** TTL of the game's A/AAAA records: low, so a start is seen within a minute. */
export const RECORD_TTL_SECONDS = 30;

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export function readJsonEnv<T>(name: string, env: NodeJS.ProcessEnv = process.env): T {
  const raw = requireEnv(name, env);
  try {
    return JSON.parse(raw) as T;
  } catch (e) {
    throw new Error(`environment variable ${name} is not valid JSON: ${(e as Error).message}`);
  }
}
