/**
 * The waker's test data: its routes (made by support/game.ts as synth makes
 * them), the query-log lines that wake them, and its environment with a
 * routes file. The waker runs in us-east-1 (where Route53 writes query logs)
 * and acts on the games in their own region.
 */
import { createHandler, type WakerOptions } from '../../../src/lambdas/waker/handler';
import type { WakeRoute } from '../../../src/runtime/routes';
import { queryLine } from '../../support/events';
import { testGame, writeRoutesFile } from '../../support/game';

export const GAME_REGION = 'eu-central-1';
export const TOPIC_ARN = 'arn:aws:sns:eu-central-1:123456789012:gm-alerts';

/** Minecraft Java at mc.example.com, woken by its SRV lookup. */
export const MINECRAFT: WakeRoute = testGame({ id: 'minecraft', hostname: 'mc' }).route;

/** Valheim (UDP, no SRV record), woken by A and AAAA lookups. */
export const VALHEIM: WakeRoute = testGame({ id: 'valheim', srv: false, ports: [{ port: 2456, protocol: 'udp' }] }).route;

/** Another game of the zone, woken by A lookups of `<id>.example.com`. */
export function route(id: string): WakeRoute {
  return testGame({ id, srv: false, wakeOn: ['A'] }).route;
}

export const MC_SRV = queryLine('_minecraft._tcp.mc.example.com', 'SRV');
export const VH_A = queryLine('valheim.example.com', 'A');

/** The waker's environment, as the constructs write it, with a routes file. */
export function wakerEnv(routes: readonly WakeRoute[] = [MINECRAFT, VALHEIM], extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { GM_GAME_REGION: GAME_REGION, GM_TOPIC_ARN: TOPIC_ARN, GM_ROUTES_FILE: writeRoutesFile(routes), ...extra };
}

export const NOW = new Date('2024-05-01T10:00:03.000Z');

/** The waker as deployed (environment from `wakerEnv`), at NOW; options override. */
export function waker(options: WakerOptions = {}) {
  return createHandler({ env: wakerEnv(), now: () => NOW, ...options });
}
