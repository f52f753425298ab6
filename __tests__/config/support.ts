/** What the configuration suites share: the smallest valid file, and its problems read back as the user sees them. */
import { ConfigError } from '../../src/config/config-error';
import { parseConfigText } from '../../src/config/load';

/** The top-level fields every file needs, without games. */
export const TOP = `region: eu-west-1
domain: { name: example.com }
state: { bucket: example-state-bucket }
`;

/** One Minecraft game's fields, unindented. */
export const MC = 'image: itzg/minecraft-server\ninstanceType: t4g.medium\nports: [{ port: 25565 }]';

/** The smallest valid configuration: one game, `mc`. */
export const VALID = `
${TOP}games:
  mc:
${MC.split('\n').map((l) => `    ${l}`).join('\n')}
`;

/** A file with `body` as the fields of game `mc`. */
export function game(body: string, top = TOP): string {
  return `${top}games:\n  mc:\n${body.split('\n').map((l) => `    ${l}`).join('\n')}\n`;
}

/** The problems a YAML text produces, as "path: message" lines; [] when the file is accepted. */
export function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfigText(text, 'test.yaml', env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
}

/** Like `problemsOf`, for a file that must be refused. */
export function problems(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  const found = problemsOf(text, env);
  if (found.length === 0) throw new Error('expected the config to be rejected');
  return found;
}
