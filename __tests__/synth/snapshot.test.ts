/**
 * A snapshot of every stack synthesized from the shipped example: any change
 * to what we deploy shows up in review as a snapshot diff.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config/load';

const ROOT = join(__dirname, '..', '..');

let out: string;
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'gm-snap-'));
  buildApp(loadConfig(join(ROOT, 'gamemanagement.yaml'), {}), out).app.synth();
});

it.each(['bootstrap', 'gamemanagement-worlds', 'gamemanagement'])('the example synthesizes %s as recorded', (stack) => {
  const json = JSON.parse(readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
  // Asset paths and code hashes change with every edit of a function; the bundle
  // tests cover the code, the snapshot covers the infrastructure.
  const text = JSON.stringify(json, null, 1)
    .replace(/assets\/[^"]+/g, 'assets/<hash>')
    .replace(/("source_code_hash": )"[^"]+"/g, '$1"<sha256>"');
  expect(text).toMatchSnapshot();
});
