/**
 * Jest setup: cdktf's per-token stack traces off (see
 * src/cdktf-creation-stacks.ts) for every suite, also those that build
 * constructs without `app.ts`.
 */
import '../../src/cdktf-creation-stacks';
