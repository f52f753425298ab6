/**
 * Every shipped YAML must pass `gamemanagement.schema.json` in an editor, with
 * a standard JSON Schema validator (ajv, the one most editors and CI linters
 * use), exactly as the file is written: placeholders and all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { parseConfigText } from '../../src/config/load';

const ROOT = join(__dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'gamemanagement.schema.json'), 'utf8')) as object;

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** The shipped configurations: the project's own and every example (others add examples; the folder is globbed). */
const SHIPPED = ['gamemanagement.yaml', ...readdirSync(join(ROOT, 'examples')).filter((f) => /\.ya?ml$/.test(f)).map((f) => join('examples', f))];

describe('gamemanagement.schema.json with a standard JSON Schema validator', () => {
  const validate = validator();

  it.each(SHIPPED)('accepts the shipped %s as written', (file) => {
    const data = parse(readFileSync(join(ROOT, file), 'utf8')) as unknown;
    const ok = validate(data);
    expect(ok ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
  });

  it('ships at least the project file and four examples', () => {
    expect(SHIPPED.length).toBeGreaterThanOrEqual(5);
  });

  const base = {
    region: 'eu-west-1', domain: { name: 'example.com' }, state: { bucket: 'example-state-bucket' },
    games: { mc: { image: 'itzg/minecraft-server', instanceType: 't4g.medium', ports: [{ port: 25565 }] } },
  };

  it('accepts ${VAR} and ${VAR:-default} wherever the loader does (e-mail, port, boolean, enum)', () => {
    const withPlaceholders = {
      ...base,
      alerts: { emails: ['${GM_ALERT_EMAIL:-admin@example.com}', '${OPS_MAIL}'] },
      network: { ipv6: '${GM_IPV6:-false}' },
      games: { mc: { ...base.games.mc, ports: [{ port: '${MC_PORT}', protocol: '${MC_PROTO:-tcp}' }] } },
    };
    expect(validate(withPlaceholders) ? [] : validate.errors).toEqual([]);
    // …and the loader accepts the same document.
    const env = { OPS_MAIL: 'ops@example.com', MC_PORT: '25565' };
    const loaded = parseConfigText(JSON.stringify(withPlaceholders), 'x.yaml', env);
    expect(loaded.alerts.emails).toEqual(['admin@example.com', 'ops@example.com']);
    expect(loaded.games[0]!.ports).toEqual([{ port: 25565, protocol: 'tcp' }]);
  });

  it('still refuses what is wrong without a placeholder', () => {
    expect(validate(base)).toBe(true);
    expect(validate({ ...base, alerts: { emails: ['not an address'] } })).toBe(false);
    expect(validate({ ...base, games: { mc: { ...base.games.mc, ports: [{ port: '25565' }] } } })).toBe(false);
    expect(validate({ ...base, games: { mc: { ...base.games.mc, imgae: 'x' } } })).toBe(false);
    expect(validate({ ...base, network: { ipv6: 'yes' } })).toBe(false);
  });
});
