/**
 * SSM parameters kept in memory, answering GetParameter(s), PutParameter and
 * DeleteParameter as SSM does: a PutParameter without Overwrite fails with
 * ParameterAlreadyExists when the name exists (atomic: the session claim
 * rests on it), a missing name is ParameterNotFound, a Standard parameter
 * holds at most 4 KB, and each write raises the version.
 *
 * Reads like a Map of name → value (`get`, `set`, `has`, `delete`), so a test
 * sets up and inspects the state directly. Each in-memory AWS of the tests
 * (the waker's and the instance hook's worlds, the loop's fake AWS) answers
 * its SSM mock from one of these, wrapped in its own call recording and
 * fault injection.
 */
import { awsError } from './aws-errors';

/** Standard tier. */
export const PARAMETER_VALUE_LIMIT = 4096;

interface Stored {
  readonly value: string;
  readonly version: number;
}

export class ParameterStore {
  private readonly entries = new Map<string, Stored>();

  /** Called after each change a command made (not after `set`/`delete` by the test). */
  onChange: ((change: 'put' | 'delete', name: string) => void) | undefined;

  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [name, value] of Object.entries(initial)) this.set(name, value);
  }

  // ------------------------------------------------------------ the state, for tests

  get(name: string): string | undefined {
    return this.entries.get(name)?.value;
  }

  /** Stores `value` as is (a string: the test may store garbage), or its JSON. */
  set(name: string, value: unknown): this {
    this.entries.set(name, { value: typeof value === 'string' ? value : JSON.stringify(value), version: (this.entries.get(name)?.version ?? 0) + 1 });
    return this;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  delete(name: string): boolean {
    return this.entries.delete(name);
  }

  get size(): number {
    return this.entries.size;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /** The value parsed as JSON (undefined when missing). */
  json<T = Record<string, unknown>>(name: string): T | undefined {
    const raw = this.get(name);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }

  // ------------------------------------------------------------ SSM's answers

  getParameter(input: { Name?: string }) {
    const name = input.Name ?? '';
    const stored = this.entries.get(name);
    if (!stored) throw awsError('ParameterNotFound', `Parameter ${name} not found.`);
    return { Parameter: { Name: name, Type: 'String' as const, Value: stored.value, Version: stored.version } };
  }

  getParameters(input: { Names?: readonly string[] }) {
    const names = input.Names ?? [];
    return {
      Parameters: names.filter((n) => this.has(n)).map((n) => this.getParameter({ Name: n }).Parameter),
      InvalidParameters: names.filter((n) => !this.has(n)),
    };
  }

  putParameter(input: { Name?: string; Value?: string; Overwrite?: boolean }) {
    if (!input.Name || input.Value === undefined) throw awsError('ValidationException', 'PutParameter needs Name and Value');
    const existing = this.entries.get(input.Name);
    if (existing && input.Overwrite !== true) {
      throw awsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    }
    if (input.Value.length > PARAMETER_VALUE_LIMIT) throw awsError('ValidationException', `parameter value of ${input.Name} is over 4 KB`);
    const version = (existing?.version ?? 0) + 1;
    this.entries.set(input.Name, { value: input.Value, version });
    this.onChange?.('put', input.Name);
    return { Version: version, Tier: 'Standard' as const };
  }

  deleteParameter(input: { Name?: string }) {
    const name = input.Name ?? '';
    if (!this.entries.delete(name)) throw awsError('ParameterNotFound', `Parameter ${name} not found.`);
    this.onChange?.('delete', name);
    return {};
  }
}
