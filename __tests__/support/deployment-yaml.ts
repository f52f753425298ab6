/**
 * A small deployment's configuration file, for CLI suites that need games of
 * their own: the head every such file shares (prefix gm, eu-west-1, a zone
 * and a state bucket) and the suite's `games:` block, indented as YAML wants it.
 */
export function deploymentYaml(games: string, region = 'eu-west-1'): string {
  return `name: gm
region: ${region}
domain:
  name: example.com
state:
  bucket: gm-state-example
games:
${games.replace(/^\n+/, '')}`;
}
