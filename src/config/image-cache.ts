/**
 * ECR pull-through cache of a game's image: which upstream registries ECR can
 * cache, whether they need credentials, and the image's name in the cache.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
 */

export interface CachedRegistry {
  /** What the rule's `upstream_registry_url` must be. */
  readonly upstreamUrl: string;
  /** Short name for messages and the rule's prefix. */
  readonly label: string;
  /** ECR refuses a rule for this registry without a Secrets Manager credential. */
  readonly needsCredential: boolean;
}

const DOCKER_HUB: CachedRegistry = { upstreamUrl: 'registry-1.docker.io', label: 'docker-hub', needsCredential: true };

/** Upstream registries ECR pull-through cache supports, by the host an image names. */
const REGISTRIES: Readonly<Record<string, CachedRegistry>> = {
  'docker.io': DOCKER_HUB,
  'index.docker.io': DOCKER_HUB,
  'registry-1.docker.io': DOCKER_HUB,
  'public.ecr.aws': { upstreamUrl: 'public.ecr.aws', label: 'ecr-public', needsCredential: false },
  'ghcr.io': { upstreamUrl: 'ghcr.io', label: 'ghcr', needsCredential: true },
  'quay.io': { upstreamUrl: 'quay.io', label: 'quay', needsCredential: false },
  'registry.k8s.io': { upstreamUrl: 'registry.k8s.io', label: 'k8s', needsCredential: false },
};

/**
 * An image the host can pull at boot without credentials: anything but a
 * private ECR repository (the ECS agent logs in to those itself).
 */
export function pullableAtBoot(image: string): boolean {
  return !/\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(imageParts(image).host);
}

/** Secrets Manager requires this name prefix for a pull-through cache credential. */
export const CREDENTIAL_SECRET_PREFIX = 'ecr-pullthroughcache/';

export interface ImageParts {
  /** Registry host as written, or docker.io when the image names none. */
  readonly host: string;
  /** Repository path in the registry (Docker Hub's official images get `library/`). */
  readonly repository: string;
  /** `:tag`, `@digest`, both, or empty (the registry's `latest`). */
  readonly reference: string;
}

/** Splits a reference the schema's format check has accepted. */
export function imageParts(image: string): ImageParts {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at) : '';
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > withoutDigest.lastIndexOf('/');
  const name = hasTag ? withoutDigest.slice(0, colon) : withoutDigest;
  const tag = hasTag ? withoutDigest.slice(colon) : '';
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  // As Docker reads it: the first component is a host only with a dot, a port, or localhost.
  const isHost = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = isHost ? first : 'docker.io';
  let repository = isHost ? name.slice(slash + 1) : name;
  if (REGISTRIES[host] === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  return { host, repository, reference: `${tag}${digest}` };
}

/** The registry the image comes from, when ECR can cache it. */
export function cachedRegistryOf(image: string): CachedRegistry | undefined {
  return REGISTRIES[imageParts(image).host];
}

/** Why a game's image cannot go through a pull-through cache, or undefined. */
export function pullThroughProblem(image: string, credentialArn?: string): string | undefined {
  const host = imageParts(image).host;
  const registry = REGISTRIES[host];
  if (!registry) {
    return `ECR caches only Docker Hub, public.ecr.aws, ghcr.io, quay.io and registry.k8s.io, not ${host}; remove imageCache`;
  }
  if (registry.needsCredential && credentialArn === undefined) {
    return `ECR caches ${registry.upstreamUrl} only with credentials: store them once with ` +
      `aws secretsmanager create-secret --name ${CREDENTIAL_SECRET_PREFIX}${registry.label} --secret-string '{"username":"<user>","accessToken":"<token>"}' ` +
      'and set imageCache.credentialArn to the ARN it prints';
  }
  return undefined;
}

/**
 * The cache rule's repository prefix for one game: ECR allows 2-30 characters,
 * lower-case components separated by single `.`, `_` or `-`. Long names keep
 * their start and get a short hash, so two games never share a prefix.
 */
export function cacheRepositoryPrefix(prefix: string, gameId: string): string {
  const clean = `${prefix}-${gameId}`.replace(/[._-]{2,}/g, '-').replace(/^[._-]+|[._-]+$/g, '');
  if (clean.length <= 30) return clean;
  let hash = 0;
  for (const ch of `${prefix}/${gameId}`) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0;
  return `${clean.slice(0, 21).replace(/[._-]+$/, '')}-${hash.toString(36).padStart(7, '0').slice(0, 7)}`;
}

/** The image as pulled through the cache: `<registry host>/<prefix>/<repository><:tag@digest>`. */
export function cachedImage(image: string, registryHost: string, repositoryPrefix: string): string {
  const parts = imageParts(image);
  return `${registryHost}/${repositoryPrefix}/${parts.repository}${parts.reference}`;
}
