/**
 * The watchdog's deployed code, bundled as synth bundles it, stays lean: no
 * gamedig (its 69 protocols and iconv-lite's tables, ~1 MB), no EC2 client
 * (~1 MB, its address comes from the zone's records), no zod (the state has
 * one valibot schema). Any of them coming back adds hundreds of KiB to every
 * cold start.
 */
import { zipSync } from 'fflate';
import { buildLambdaCode } from '../../../src/constructs/support/lambda-bundle';

/** A text each left-out library carries in its code, whatever the minifier renames. */
const LEFT_OUT: Record<string, string> = {
  gamedig: 'Protocol definition file missing',
  'iconv-lite': 'iconv-lite',
  zod: 'ZodError',
  '@aws-sdk/client-ec2': 'com.amazonaws.ec2',
};

/**
 * It was 955 KiB zipped; it is ~130 KiB. A dynamic `import()` of a module
 * that imports an SDK client keeps all of that client's commands (~250 KiB
 * in all), so this bound also catches one.
 */
const MAX_ZIP_KIB = 200;

describe('the watchdog bundle', () => {
  let code: string;
  let zipKiB: number;

  beforeAll(() => {
    const bytes = buildLambdaCode('watchdog');
    code = Buffer.from(bytes).toString('utf8');
    zipKiB = zipSync({ 'index.js': [bytes, { level: 9 }] }).length / 1024;
  });

  it.each(Object.entries(LEFT_OUT))('leaves out %s', (_library, marker) => {
    expect(code).not.toContain(marker);
  });

  it('carries its own queries (Steam A2S, Minecraft)', () => {
    expect(code).toContain('Source Engine Query');
    expect(code).toContain('00ffff00fefefefefdfdfdfd12345678');
  });

  it(`zips to less than ${MAX_ZIP_KIB} KiB`, () => {
    expect(zipKiB).toBeLessThan(MAX_ZIP_KIB);
  });
});
