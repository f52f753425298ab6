/**
 * Reads the two Terraform expressions the constructs synthesize as strings,
 * `${jsonencode({...})}` (IAM and resource policies) and
 * `${base64encode("...")}` (user data), back into plain values, so the audit
 * and the tests judge statements and script lines instead of substrings.
 * Bare references (`aws_iam_role.x.arn`) become the interpolation string
 * `${aws_iam_role.x.arn}`, the form they take inside a string.
 */

export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue };

class Reader {
  private pos = 0;

  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new Error(`cannot read HCL at ${this.pos}: ${what} in ${this.text.slice(Math.max(0, this.pos - 40), this.pos + 40)}`);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos += 1;
  }

  peek(): string | undefined {
    this.skipSpace();
    return this.text[this.pos];
  }

  expect(literal: string): void {
    this.skipSpace();
    if (!this.text.startsWith(literal, this.pos)) this.fail(`expected ${literal}`);
    this.pos += literal.length;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  value(): HclValue {
    const c = this.peek();
    if (c === '{') return this.object();
    if (c === '[') return this.list();
    if (c === '"') return this.string();
    return this.bare();
  }

  private object(): { [key: string]: HclValue } {
    this.expect('{');
    const out: { [key: string]: HclValue } = {};
    while (this.peek() !== '}') {
      const key = this.peek() === '"' ? this.string() : this.bare();
      if (typeof key !== 'string') this.fail('expected an object key');
      this.expect('=');
      out[key] = this.value();
      if (this.peek() === ',') this.expect(',');
    }
    this.expect('}');
    return out;
  }

  private list(): HclValue[] {
    this.expect('[');
    const out: HclValue[] = [];
    while (this.peek() !== ']') {
      out.push(this.value());
      if (this.peek() === ',') this.expect(',');
    }
    this.expect(']');
    return out;
  }

  /** A quoted string; `${...}` interpolations are kept verbatim. */
  string(): string {
    this.expect('"');
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === '"') {
        this.pos += 1;
        return out;
      }
      if (c === '\\') {
        const next = this.text[this.pos + 1];
        const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
        if (next === undefined || !(next in escapes)) this.fail(`unknown escape \\${next ?? ''}`);
        out += escapes[next]!;
        this.pos += 2;
        continue;
      }
      if (this.text.startsWith('${', this.pos)) {
        const start = this.pos;
        this.pos += 2;
        let depth = 1;
        while (depth > 0) {
          const d = this.text[this.pos];
          if (d === undefined) this.fail('unterminated ${...}');
          if (d === '{') depth += 1;
          if (d === '}') depth -= 1;
          this.pos += 1;
        }
        out += this.text.slice(start, this.pos);
        continue;
      }
      out += c;
      this.pos += 1;
    }
    return this.fail('unterminated string');
  }

  /** A number, true/false/null, or a reference such as aws_iam_role.x.arn. */
  private bare(): HclValue {
    this.skipSpace();
    // Index brackets only when balanced (`x[0].arn`), so a reference can end a list: `[a.arn]`.
    const m = /^[A-Za-z0-9_.\-*]+(\[[0-9*]+\][A-Za-z0-9_.\-*]*)*/.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected a value');
    this.pos += m[0].length;
    const word = m[0];
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
    return `\${${word}}`;
  }
}

/** The single argument of `${fn(...)}`, read as a value. */
function readCall(expression: string, fn: string): HclValue {
  const prefix = `\${${fn}(`;
  if (!expression.startsWith(prefix) || !expression.endsWith(')}')) {
    throw new Error(`expected a \${${fn}(...)} expression, got: ${expression.slice(0, 80)}`);
  }
  const reader = new Reader(expression.slice(prefix.length, -2));
  const value = reader.value();
  if (!reader.atEnd()) reader.fail('trailing text');
  return value;
}

/** Any `${jsonencode(...)}` expression, read as a value. */
export function readJsonencode(expression: string): HclValue {
  return readCall(expression, 'jsonencode');
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: HclValue;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, HclValue>>;
}

export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: PolicyStatement[];
}

/** A policy synthesized as `${jsonencode({...})}`. */
export function readPolicy(expression: unknown): PolicyDocument {
  if (typeof expression !== 'string') throw new Error(`expected a policy expression string, got ${typeof expression}`);
  const doc = readCall(expression, 'jsonencode') as unknown as PolicyDocument;
  if (!Array.isArray(doc.Statement)) throw new Error(`policy has no Statement list: ${expression.slice(0, 80)}`);
  return doc;
}

/** The script inside `${base64encode("...")}`, with interpolations left as `${...}`. */
export function readBase64Script(expression: unknown): string {
  if (typeof expression !== 'string') throw new Error(`expected a user data expression string, got ${typeof expression}`);
  const value = readCall(expression, 'base64encode');
  if (typeof value !== 'string') throw new Error('base64encode argument is not a string literal');
  return value;
}

/** Actions of a statement as a list. */
export function actionsOf(statement: PolicyStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}
