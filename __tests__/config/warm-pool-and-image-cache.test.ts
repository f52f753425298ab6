/**
 * `warmPool` and `imageCache`: the combinations AWS refuses are refused at
 * load, one line naming the field and the way out; the accepted ones reach
 * the resolved game as written.
 */
import { parseConfigText } from '../../src/config/load';
import { cacheRepositoryPrefix, cachedImage, cachedRegistryOf, imageParts, pullableAtBoot } from '../../src/config/image-cache';
import { game, MC, problems, problemsOf } from './support';

const DOCKER_HUB_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf';

function resolved(body: string) {
  return parseConfigText(game(body), 'test.yaml', {}).games[0]!;
}

describe('warmPool', () => {
  it('is off unless asked for, and passes through when on', () => {
    expect(resolved(MC).warmPool).toBe(false);
    expect(resolved(`${MC}\nwarmPool: true`).warmPool).toBe(true);
  });

  it('refuses warmPool with spot in one line naming both and why', () => {
    expect(problems(game(`${MC}\nspot: true\nwarmPool: true`))).toEqual([
      'games.mc.warmPool: AWS refuses a warm pool on a spot group (a group with a mixed instances policy); remove warmPool or spot',
    ]);
  });

  it('accepts spot alone and a warm pool alone', () => {
    expect(problemsOf(game(`${MC}\nspot: true`))).toEqual([]);
    expect(problemsOf(game(`${MC}\nwarmPool: true\nspot: false`))).toEqual([]);
  });

  it('refuses a value that is not true or false', () => {
    expect(problems(game(`${MC}\nwarmPool: "yes"`))).toEqual(['games.mc.warmPool: found "yes"; expected true or false']);
  });
});

describe('imageCache', () => {
  it('accepts a Docker Hub image with its credential secret, and keeps the ARN', () => {
    expect(resolved(`${MC}\nimageCache: { credentialArn: ${DOCKER_HUB_SECRET} }`).imageCache).toEqual({ credentialArn: DOCKER_HUB_SECRET });
  });

  it('refuses a Docker Hub image without credentials, giving the one command that stores them', () => {
    const [line, ...rest] = problems(game(`${MC}\nimageCache: {}`));
    expect(rest).toEqual([]);
    expect(line).toMatch(/^games\.mc\.imageCache: ECR caches registry-1\.docker\.io only with credentials: store them once with aws secretsmanager create-secret --name ecr-pullthroughcache\/docker-hub /);
    expect(line).toContain('\'{"username":"<user>","accessToken":"<token>"}\'');
    expect(line).toMatch(/set imageCache\.credentialArn to the ARN it prints$/);
  });

  it('needs no credentials for public.ecr.aws and quay.io', () => {
    for (const image of ['public.ecr.aws/docker/library/nginx:1.27', 'quay.io/org/game:2']) {
      expect(problemsOf(game(MC.replace('itzg/minecraft-server', image) + '\nimageCache: {}'))).toEqual([]);
    }
  });

  it('refuses a registry ECR cannot cache, naming it', () => {
    expect(problems(game(MC.replace('itzg/minecraft-server', 'registry.example.com/game:1') + '\nimageCache: {}'))).toEqual([
      'games.mc.imageCache: ECR caches only Docker Hub, public.ecr.aws, ghcr.io, quay.io and registry.k8s.io, not registry.example.com; remove imageCache',
    ]);
  });

  it('refuses a credential that is not a Secrets Manager ARN under ecr-pullthroughcache/', () => {
    const wrong = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:docker-hub-AbCdEf';
    expect(problems(game(`${MC}\nimageCache: { credentialArn: ${wrong} }`))).toEqual([
      expect.stringMatching(/^games\.mc\.imageCache\.credentialArn: .*whose name starts with ecr-pullthroughcache\//),
    ]);
  });

  it('refuses unknown keys inside imageCache', () => {
    expect(problems(game(`${MC}\nimageCache: { secret: x }`))[0]).toMatch(/^games\.mc\.imageCache\.secret: unknown key/);
  });

  it('reports only the format problem of a malformed image, not a cache problem on top', () => {
    expect(problems(game(MC.replace('itzg/minecraft-server', 'Not An Image') + '\nimageCache: {}'))).toEqual([
      expect.stringMatching(/^games\.mc\.image: /),
    ]);
  });
});

describe('image names through the cache', () => {
  it.each([
    ['itzg/minecraft-server:java21', 'docker.io', 'itzg/minecraft-server', ':java21'],
    ['nginx', 'docker.io', 'library/nginx', ''],
    ['docker.io/library/nginx:1.27@sha256:0123456789abcdef0123456789abcdef', 'docker.io', 'library/nginx', ':1.27@sha256:0123456789abcdef0123456789abcdef'],
    ['ghcr.io/org/game:latest', 'ghcr.io', 'org/game', ':latest'],
    ['localhost:5000/game', 'localhost:5000', 'game', ''],
  ])('%s is %s / %s / %s', (image, host, repository, reference) => {
    expect(imageParts(image)).toEqual({ host, repository, reference });
  });

  it('rewrites the image to <registry>/<prefix>/<repository><tag>', () => {
    expect(cachedImage('itzg/minecraft-server:java21', '123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'gm-mc'))
      .toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/gm-mc/itzg/minecraft-server:java21');
    expect(cachedImage('nginx', 'r', 'gm-web')).toBe('r/gm-web/library/nginx');
  });

  it('maps Docker Hub to registry-1.docker.io, whatever the image calls it', () => {
    for (const image of ['itzg/minecraft-server', 'docker.io/itzg/minecraft-server', 'index.docker.io/itzg/minecraft-server']) {
      expect(cachedRegistryOf(image)).toEqual({ upstreamUrl: 'registry-1.docker.io', label: 'docker-hub', needsCredential: true });
    }
  });

  it('gives each game a repository prefix ECR accepts (2-30 characters, single separators)', () => {
    const valid = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
    expect(cacheRepositoryPrefix('gm', 'mc')).toBe('gm-mc');
    expect(cacheRepositoryPrefix('gm', 'a--b-')).toBe('gm-a-b');
    const long = [cacheRepositoryPrefix('deployment12', 'a-very-long-game-identifier-x1'), cacheRepositoryPrefix('deployment12', 'a-very-long-game-identifier-x2')];
    for (const prefix of long) {
      expect(prefix).toMatch(valid);
      expect(prefix.length).toBeLessThanOrEqual(30);
    }
    expect(long[0]).not.toBe(long[1]);
  });

  it('pre-pulls anything but a private ECR image', () => {
    expect(pullableAtBoot('itzg/minecraft-server')).toBe(true);
    expect(pullableAtBoot('public.ecr.aws/org/game')).toBe(true);
    expect(pullableAtBoot('123456789012.dkr.ecr.eu-west-1.amazonaws.com/game:1')).toBe(false);
  });
});
