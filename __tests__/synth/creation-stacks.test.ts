/** Synth records no stack trace per token (src/cdktf-creation-stacks.ts): it halved a synth's time. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IResolvable } from 'cdktf';

type WithStack = IResolvable & { readonly creationStack: string[] };

it('is turned off by loading the app, as cdktf synth and the CLI load it', () => {
  jest.isolateModules(() => {
    // A fresh module registry: cdktf as it comes, unpatched by the tests' setup.
    const { Lazy } = require('cdktf') as typeof import('cdktf'); // eslint-disable-line @typescript-eslint/no-require-imports
    expect((Lazy.anyValue({ produce: () => 1 }) as WithStack).creationStack.length).toBeGreaterThan(0);
    require('../../src/app'); // eslint-disable-line @typescript-eslint/no-require-imports
    expect((Lazy.anyValue({ produce: () => 1 }) as WithStack).creationStack).toEqual([]);
  });
});

it('still reports a token that fails to resolve', () => {
  jest.isolateModules(() => {
    require('../../src/app'); // eslint-disable-line @typescript-eslint/no-require-imports
    const { App, Lazy, TerraformOutput, TerraformStack } = require('cdktf') as typeof import('cdktf'); // eslint-disable-line @typescript-eslint/no-require-imports
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'gm-token-')) });
    const stack = new TerraformStack(app, 'broken');
    new TerraformOutput(stack, 'out', { value: Lazy.stringValue({ produce: () => { throw new Error('cannot produce this value'); } }) });
    expect(() => app.synth()).toThrow(/cannot produce this value/);
  });
});
