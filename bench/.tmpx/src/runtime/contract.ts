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
  /** SSM parameter (String, JSON `WatchdogState`) where the watchdog keeps its state between runs. */
  readonly stateParameterName: string;
  /** SSM Command document that runs host/count-connections.sh (parameter `ports`, e.g. "tcp:25565 udp:19132"). */
  readonly connectionsDocumentName: string;
  /** Log group of the game container (for `gm logs`). */
  readonly logGroupName: string;
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

/**
 * What the watchdog remembers between runs (in the game's SSM parameter).
 * The instance hook writes a fresh one at each launch; the watchdog updates
 * it every minute; the failsafe only reads it.
 */
export interface WatchdogState {
  /** Instance this state belongs to; a state for another instance is stale. */
  readonly instanceId: string;
  /** ISO time the instance launch began (the wake-up, near enough). */
  readonly launchedAt: string;
  /** ISO time the first probe succeeded. */
  readonly readyAt?: string;
  /** ISO time a probe last saw at least one player (or, before anyone joined, readyAt). */
  readonly lastPlayersAt?: string;
  readonly everJoined: boolean;
  /** Probe errors in a row since the last successful probe. */
  readonly consecutiveProbeErrors: number;
  /** ISO time of the watchdog's last completed run (the failsafe measures silence from it). */
  readonly lastRunAt?: string;
  readonly maxHoursAlerted: boolean;
}
