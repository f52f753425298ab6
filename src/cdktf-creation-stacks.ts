/**
 * Turns off the stack trace cdktf records for every token it creates
 * (`Intrinsic`, `Lazy`…), which it keeps only to quote should that token
 * fail to resolve. With source maps on — tsx, which runs synth and the CLI,
 * and jest — every frame of every trace is mapped through the inline source
 * maps cdktf ships in each file: half of a synth's time (a 50-game synth
 * took 10 s with them, 5 s without). Our tokens come from a checked
 * configuration; one that fails to resolve is still reported, only without
 * where it was created. Imported for its effect, once, by `app.ts` (and by
 * the tests' setup, for the suites that build constructs without it).
 */
// The module's own exports object, patched in place: the token classes call it through it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackTrace = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace?: unknown };

// cdktf 0.21 is its last release; should the function move, synth is only slower.
if (typeof stackTrace.captureStackTrace === 'function') stackTrace.captureStackTrace = (): string[] => [];

export {};
