import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `util.parseArgs` in strict mode, with its errors turned into UsageError so
 * that an unknown or valueless option prints the usage instead of a stack.
 */
export function parseOptions<O extends Options>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs throws errors with codes like ERR_PARSE_ARGS_UNKNOWN_OPTION; anything else is a bug.
    // Checked by code, not `instanceof TypeError`, which fails across realms (jest's sandbox).
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
    if (code.startsWith('ERR_PARSE_ARGS')) throw new UsageError((e as Error).message);
    throw e;
  }
}

/** Parses a whole number in [min, max]; `what` names the option in the error. */
export function parseInteger(value: string, what: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${what} must be a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${what} must be between ${min} and ${max}, got ${n}`);
  return n;
}
