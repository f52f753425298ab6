/** Records point here while the game is stopped: documentation ranges, never 0.0.0.0 (which reaches the player's own machine). */
export const PLACEHOLDER_IPV4 = '192.0.2.1';
export const PLACEHOLDER_IPV6 = '2001:db8::1';
/** TTL of the game's A/AAAA records: low, so a start is seen within a minute. */
export const RECORD_TTL_SECONDS = 30;
