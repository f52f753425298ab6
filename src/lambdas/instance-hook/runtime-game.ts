/** Checks the game configuration the function receives in `GM_GAME`. */
import type { RuntimeGame } from '../../runtime/contract';

const REQUIRED_STRINGS = [
  'id',
  'fqdn',
  'hostedZoneId',
  'asgName',
  'clusterName',
  'serviceName',
  'taskFamily',
  'watchdogRuleName',
  'stateParameterName',
] as const;

/** Returns the value as a RuntimeGame, or throws naming every field the hook needs that is missing. */
export function checkRuntimeGame(value: unknown): RuntimeGame {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const problems = REQUIRED_STRINGS.filter((key) => typeof record[key] !== 'string' || record[key] === '').map((key) => `${key} (string)`);
  if (typeof record.ipv6 !== 'boolean') problems.push('ipv6 (boolean)');
  if (typeof record.stopTimeoutSeconds !== 'number' || !(record.stopTimeoutSeconds >= 0)) problems.push('stopTimeoutSeconds (number ≥ 0)');
  if (problems.length > 0) {
    throw new Error(`environment variable GM_GAME lacks ${problems.join(', ')}; redeploy so the function gets the game's runtime configuration`);
  }
  return record as unknown as RuntimeGame;
}
