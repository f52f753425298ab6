/**
 * Terraform reads every string of cdk.tf.json as a template: `${…}` is
 * evaluated and `%{…}` is a directive. User text (an environment value, a
 * password, a description, a tag) must reach AWS exactly as written, so it is
 * escaped here, once, where it enters a resource attribute: `${` → `$${` and
 * `%{` → `%%{`. cdktf's own references (`${TfToken[…]}`, resolved to
 * `${aws_x.y.arn}` at synth) are left alone, so a JSON document that mixes user
 * text and references (container definitions, GM_GAME) is escaped as a whole.
 *
 * cdktf would take user text containing its token marker (`${TfToken[`) for a
 * reference of its own; `tokenMarkerProblems` refuses such text before anything
 * is built.
 */
import type { ConfigProblem } from '../../config/config-error';
import type { Config } from '../../config/resolve';

/** A `${` that does not start a cdktf token, or a `%{`. */
const TEMPLATE_START = /\$\{(?!TfToken\[)|%\{/g;

/** `text` as a Terraform template that evaluates to `text` (cdktf references inside stay references). */
export function terraformLiteral(text: string): string {
  return text.replace(TEMPLATE_START, (start) => (start === '${' ? '$${' : '%%{'));
}

/** Every key and value of `record` through `terraformLiteral`. */
export function terraformLiterals(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [terraformLiteral(k), terraformLiteral(v)]));
}

/** cdktf's markers of string, list and map tokens. */
const TOKEN_MARKER = /[$#&]\{TfToken\[/;

/**
 * Free-text values of the configuration that contain one of cdktf's token
 * markers: cdktf would resolve them as its own references (or crash), so they
 * could not reach AWS as written. One problem per value.
 */
export function tokenMarkerProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const check = (path: string, value: string | undefined) => {
    if (value !== undefined && TOKEN_MARKER.test(value)) {
      problems.push({ path, message: 'contains "{TfToken[", which cdktf reads as one of its own references; remove it or write it differently' });
    }
  };
  for (const [key, value] of Object.entries(config.tags)) {
    check(`tags.${key}`, key);
    check(`tags.${key}`, value);
  }
  for (const game of config.games) {
    const at = `games.${game.id}`;
    check(`${at}.image`, game.image);
    for (const [name, value] of Object.entries(game.environment)) check(`${at}.environment.${name}`, value);
    game.volumes.forEach((v, i) => check(`${at}.volumes[${i}].path`, v.path));
    game.egress.forEach((e, i) => check(`${at}.egress[${i}].description`, e.description));
    if (game.watchdog.probe.type === 'query') check(`${at}.watchdog.probe.game`, game.watchdog.probe.game);
  }
  return problems;
}
