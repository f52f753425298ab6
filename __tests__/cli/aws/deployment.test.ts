import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeploymentConfigError, findGame, loadDeployment } from '../../../src/cli/aws/deployment';
import { UsageError } from '../../../src/cli/command';
import { REPO_ROOT } from '../run-cli';

const SHIPPED = join(REPO_ROOT, 'gamemanagement.yaml');
const VALHEIM = join(REPO_ROOT, 'examples/valheim.yaml');

describe('the deployment a command acts on', () => {
  it('reads GM_CONFIG, as synth does, and takes the region from it', () => {
    const deployment = loadDeployment({}, { GM_CONFIG: VALHEIM });
    expect(deployment.config.games.map((g) => g.id)).toEqual(['valheim']);
    expect(deployment.region).toBe(deployment.config.region);
  });

  it('takes --region over the config', () => {
    expect(loadDeployment({ region: 'ap-southeast-2' }, { GM_CONFIG: SHIPPED }).region).toBe('ap-southeast-2');
  });

  it('applies --profile through AWS_PROFILE, before any client exists', () => {
    const env: NodeJS.ProcessEnv = { GM_CONFIG: SHIPPED };
    loadDeployment({ profile: 'friends' }, env);
    expect(env.AWS_PROFILE).toBe('friends');
    expect(() => loadDeployment({ profile: ' ' }, { GM_CONFIG: SHIPPED })).toThrow(UsageError);
  });

  it('names every game of the config when the id is wrong or missing', () => {
    const deployment = loadDeployment({}, { GM_CONFIG: SHIPPED });
    const ids = deployment.config.games.map((g) => g.id).join(', ');
    expect(() => findGame(deployment, 'minecraft')).toThrow(new UsageError(`no game "minecraft" in ${deployment.file}; games in ${deployment.file}: ${ids}`));
    expect(() => findGame(deployment, undefined)).toThrow(new UsageError(`name a game; games in ${deployment.file}: ${ids}`));
  });

  it('gives the names synth gave the game, and the session rules their target', () => {
    const deployment = loadDeployment({}, { GM_CONFIG: SHIPPED });
    const id = deployment.config.games[0]!.id;
    const target = findGame(deployment, id);
    const prefix = deployment.config.name;
    expect(target.names.asg).toBe(`${prefix}-${id}`);
    expect(target.session).toEqual({
      id,
      asgName: `${prefix}-${id}`,
      sessionParameterName: `/${prefix}/${id}/session`,
      pendingWakeParameterName: `/${prefix}/${id}/pending-wake`,
    });
  });

  it('reports a broken file as synth does, without the synth-only last sentence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-deployment-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'region: eu-west-1\n');
    let error: unknown;
    try {
      loadDeployment({}, { GM_CONFIG: file });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeploymentConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/broken\.yaml has \d+ problems?:/);
    expect(message).not.toMatch(/Nothing was synthesized/);
  });

  it('reports a missing file with how to point at one', () => {
    expect(() => loadDeployment({}, { GM_CONFIG: '/nonexistent/gm.yaml' })).toThrow(/file not found; create it from examples\/ or set GM_CONFIG/);
  });
});
