/**
 * The function zips are reproducible: the same code gives the same bytes in
 * another process and after the bundler's cache is gone, so the synthesized
 * `source_code_hash` (the function's change trigger) moves only with the code.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { bundleLambda, buildLambdaZip, type LambdaBundle } from '../../../src/constructs/support/lambda-bundle';
import { ENTRIES } from './support/expected-calls';
import { REPO_ROOT, THREE_GAMES, resources, synthMain, type MainStackJson, type SynthResult } from './support/synth';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('base64');

/** The zip as written (atomically: renamed into place, so never half written). */
function zipBytes(bundle: LambdaBundle): Buffer {
  return readFileSync(bundle.zipPath);
}

/** function_name → [source_code_hash, filename] of every function in a synthesized stack. */
function codeOfFunctions(json: MainStackJson): Record<string, [unknown, unknown]> {
  return Object.fromEntries(resources(json, 'aws_lambda_function').map((f) => [String(f.body.function_name), [f.body.source_code_hash, f.body.filename]]));
}

describe.each([...ENTRIES])('bundle of %s', (entry) => {
  let bundle: LambdaBundle;
  let zip: Buffer;
  beforeAll(() => {
    bundle = bundleLambda(entry);
    zip = zipBytes(bundle);
  });

  it('is the zip whose base64 sha256 the bundler reports', () => {
    expect(sha256(zip)).toBe(bundle.sha256);
    expect(zip.byteLength).toBe(bundle.bytes);
  });

  it('holds exactly one entry, index.js', () => {
    expect(Object.keys(unzipSync(zip))).toEqual(['index.js']);
  });

  it('has code that names no path of this checkout and exports handler', () => {
    const code = Buffer.from(unzipSync(zip)['index.js']!).toString('utf8');
    expect(code).not.toContain(REPO_ROOT);
    expect(code).not.toContain(join(REPO_ROOT, 'node_modules'));
    // CommonJS export of the handler (esbuild's `__export` lists it by name).
    expect(code).toMatch(/handler:\(\)=>/);
  });

  it('is byte-identical when bundled again from scratch (no cached zip)', () => {
    const again = buildLambdaZip(entry);
    expect(sha256(again)).toBe(bundle.sha256);
    expect(again.byteLength).toBe(bundle.bytes);
  });
});

describe('bundles made by another process', () => {
  it('have the same sha256 for every function', () => {
    const script = [
      "const { createHash } = require('node:crypto');",
      "const { buildLambdaZip } = require('./src/constructs/support/lambda-bundle');",
      `const entries = ${JSON.stringify(ENTRIES)};`,
      "process.stdout.write(JSON.stringify(Object.fromEntries(entries.map((e) => [e, createHash('sha256').update(buildLambdaZip(e)).digest('base64')]))));",
    ].join('\n');
    const output = execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    const here = Object.fromEntries(ENTRIES.map((e) => [e, bundleLambda(e).sha256]));
    expect(JSON.parse(output)).toEqual(here);
  });
});

describe('synthesized functions', () => {
  let first: SynthResult;
  let second: SynthResult | undefined;
  beforeAll(() => {
    first = synthMain(THREE_GAMES);
    jest.isolateModules(() => {
      // Fresh app, constructs and bundler cache: the second synth bundles everything again.
      const fresh = require('./support/synth') as typeof import('./support/synth');
      second = fresh.synthMain(THREE_GAMES);
    });
  });

  it('carry source_code_hash = base64 sha256 of the zip Terraform uploads', () => {
    const functions = resources(first.json, 'aws_lambda_function');
    expect(functions.length).toBe(11);
    for (const fn of functions) {
      const entry = (fn.body.environment as { variables: Record<string, string> }).variables.POWERTOOLS_SERVICE_NAME!;
      const asset = readFileSync(join(first.stackDir, String(fn.body.filename)));
      expect({ fn: fn.body.function_name, hash: fn.body.source_code_hash }).toEqual({ fn: fn.body.function_name, hash: sha256(asset) });
      expect(fn.body.source_code_hash).toBe(bundleLambda(entry).sha256);
    }
  });

  it('are identical in two synths of the same configuration', () => {
    expect(second).toBeDefined();
    expect(codeOfFunctions(second!.json)).toEqual(codeOfFunctions(first.json));
    expect(second!.outdir).not.toBe(first.outdir);
  });
});
