/**
 * The waker's AWS calls, as named steps. Both rest on the shared mechanisms:
 * the start rules (session claim in SSM, the group in the game region) and
 * the notice (SNS, in the topic's region).
 */
import type { WakeRoute } from '../../runtime/routes';
import { publishNotice, type Notice } from '../shared/notices';
import { requestStart, type StartOutcome, type StartRequest } from '../shared/session';
import { step } from '../shared/steps';

/** Starts the game unless it runs; exactly one of many concurrent requests gets `started`. */
export function startGame(route: WakeRoute, request: StartRequest, gameRegion: string): Promise<StartOutcome> {
  return step('request start', () => requestStart(route, request, gameRegion));
}

export function announce(topicArn: string, notice: Notice): Promise<void> {
  return step('publish notice', () => publishNotice(topicArn, notice));
}
