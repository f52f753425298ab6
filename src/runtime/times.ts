/**
 * Durations the Lambdas report (start phases, stop phases, wake delays) in
 * whole seconds. One rule for all of them so the timeline's numbers add up
 * the same way wherever they are computed.
 */

/** Whole seconds from `fromIso` to `toIso`, rounded to the nearest second and never negative (clock skew between services). */
export function secondsBetween(fromIso: string, toIso: string): number {
  return Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
}
