/**
 * What `gm cost` has to assume because it cannot be read from the
 * configuration: how much a player downloads, how much the logs hold, how
 * often the name is looked up. Each is printed with the estimate, so a reader
 * can redo the sum with their own figure.
 */

/**
 * GB a typical player downloads from the server in an hour. Minecraft Java
 * sends roughly 20–60 kB/s to a player who moves around (chunks, entities);
 * 0.1 GB an hour is the middle of that. Games that stream less (Terraria,
 * Factorio) stay well below it.
 */
export const DATA_OUT_GB_PER_PLAYER_HOUR = 0.1;

/** Players the running hour is priced for: data out scales with this, nothing else does. */
export const TYPICAL_PLAYERS = 1;

/**
 * MB a log group receives in a month while its game is stopped: a few start
 * and stop records of the functions and the odd failsafe check. Nothing else
 * writes while nobody plays.
 */
export const IDLE_LOG_MB_PER_GROUP_MONTH = 1;

/** MB of logs a played hour writes: the game container's output plus the watchdog's once-a-minute records. */
export const LOG_MB_PER_PLAYED_HOUR = 5;

/**
 * DNS lookups of the zone in a month: players' resolvers cache answers for the
 * record's TTL, so a few hundred lookups a day, plus scanners. Route 53 bills
 * each one, and query logging writes each to CloudWatch Logs.
 */
export const DNS_QUERIES_PER_MONTH = 10_000;

/** Bytes one query-log record takes (timestamp, zone, name, type, response code, edge, resolver address). */
export const QUERY_LOG_BYTES_PER_QUERY = 200;

/**
 * Backup storage per GB of world. AWS Backup keeps one full copy plus the
 * changed blocks of each daily backup (the worlds' plan keeps 35 days);
 * for a world that changes a little each session one full copy is the bulk.
 */
export const BACKUP_GB_PER_WORLD_GB = 1;

/** Default world size for `--world-gb`. */
export const DEFAULT_WORLD_GB = 1;

/** Default hours of play a month for `--hours`. */
export const DEFAULT_HOURS_PER_MONTH = 20;

/** The assumptions as `gm cost` prints them, in order. */
export function assumptionLines(worldGb: number, hours: number): string[] {
  return [
    `world: ${worldGb} GB per game; its backup holds ${BACKUP_GB_PER_WORLD_GB} × the world`,
    `play: ${hours} h a month per game, ${TYPICAL_PLAYERS} player downloading ${DATA_OUT_GB_PER_PLAYER_HOUR} GB an hour, ${LOG_MB_PER_PLAYED_HOUR} MB of logs an hour`,
    `stopped: ${IDLE_LOG_MB_PER_GROUP_MONTH} MB of logs a month per log group; ${DNS_QUERIES_PER_MONTH.toLocaleString('en-US')} DNS lookups a month (${QUERY_LOG_BYTES_PER_QUERY} bytes of query log each)`,
    'world storage at the EFS effective price with lifecycle management (80 % of the data in Infrequent Access, as the EFS pricing page assumes; worlds move there after 30 days unplayed)',
  ];
}
