import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/plan-suite';

it('plans every example (a new example needs its own *.plan.test.ts)', () => {
  const planned = readdirSync(__dirname).filter((f) => f.endsWith('.plan.test.ts'))
    .map((f) => /describePlans\('([^']+)'/.exec(readFileSync(join(__dirname, f), 'utf8'))?.[1]);
  const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => `examples/${f}`)
    .filter((f) => f !== 'examples/minecraft-java.yaml');
  expect(planned).toEqual(expect.arrayContaining(examples));
  // The Java example must stay the shipped file with other comments, or it needs a plan of its own.
  const strip = (text: string) => text.split('\n').filter((l) => !l.trim().startsWith('#')).join('\n').replace(/\s+#.*$/gm, '');
  expect(strip(readFileSync(join(ROOT, 'examples/minecraft-java.yaml'), 'utf8'))).toBe(strip(readFileSync(join(ROOT, 'gamemanagement.yaml'), 'utf8')));
});
