/**
 * Plans in pull requests show only real changes: two synths of the same
 * configuration write the same files under stacks/ — the JSON and every
 * function zip Terraform uploads (the waker's with its routes file) — with
 * the same names and byte for byte the same content. determinism.test.ts
 * compares the JSON alone; the zips are what `filename` and
 * `source_code_hash` point at.
 *
 * The bundler keeps zips in `.build/` and another synth of the same checkout
 * reuses them, so each synth here runs in its own copy of the project (sources
 * copied once, node_modules linked), in its own process, and bundles from
 * scratch, as a fresh clone in CI does.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';

const REPO_ROOT = join(__dirname, '..', '..');

/** Every file below `dir`, by path relative to it, with the sha256 of its bytes. */
function filesWithHashes(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.set(relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(dir);
  return found;
}

/** What a synth reads besides node_modules. */
const PROJECT_FILES = ['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'gamemanagement.yaml'];

/** A copy of the project with no bundler cache; node_modules is linked. */
function copyProject(from: string, to: string): void {
  for (const name of PROJECT_FILES) cpSync(join(from, name), join(to, name), { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(to, 'node_modules'), 'dir');
}

/** Synthesizes the shipped example in a fresh Node process inside `project`; returns the stacks folder. */
function synthIn(project: string): string {
  const script = [
    "const { readFileSync } = require('node:fs');",
    "const { buildApp } = require('./src/app');",
    "const { parseConfigText } = require('./src/config/load');",
    // An empty environment: `${VAR:-default}` in the YAML takes its default, whatever the shell has set.
    "const config = parseConfigText(readFileSync('gamemanagement.yaml', 'utf8'), 'gamemanagement.yaml', {});",
    "buildApp(config, 'out').app.synth();",
  ].join('\n');
  execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['-e', script], { cwd: project, stdio: ['ignore', 'ignore', 'pipe'] });
  return join(project, 'out', 'stacks');
}

describe('two synths of the shipped example', () => {
  let scratch: string;
  let here: Map<string, string>;
  let there: Map<string, string>;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'gm-zip-determinism-'));
    const first = join(scratch, 'first');
    const second = join(scratch, 'second');
    // One snapshot of the sources for both, so an edit made meanwhile cannot tell them apart.
    copyProject(REPO_ROOT, first);
    copyProject(first, second);
    here = filesWithHashes(synthIn(first));
    there = filesWithHashes(synthIn(second));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('each bundled its functions from scratch', () => {
    for (const project of ['first', 'second']) {
      expect(readdirSync(join(scratch, project, '.build', 'lambdas')).sort()).toEqual(['failsafe', 'instance-hook', 'waker', 'watchdog']);
    }
  });

  it('write function zips for the main stack (so the comparison covers them)', () => {
    const zips = [...here.keys()].filter((path) => path.startsWith(join('gamemanagement', 'assets')) && path.endsWith('.zip'));
    expect(zips.length).toBeGreaterThanOrEqual(4);
    expect(zips.some((path) => path.includes('waker'))).toBe(true);
  });

  it('write the same files, with the same names', () => {
    expect([...there.keys()]).toEqual([...here.keys()]);
  });

  it('write every file, zips included, byte for byte the same', () => {
    const differing = [...here].filter(([path, hash]) => there.get(path) !== hash).map(([path]) => path);
    expect(differing).toEqual([]);
  });
});
