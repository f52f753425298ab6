/**
 * An ECR pull-through cache for one game's image: the first pull copies the
 * image from its registry into this region's ECR, later pulls stay in the
 * region (no Docker Hub anonymous rate limit, no transfer from far away).
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
 */
import { EcrPullThroughCacheRule } from '@cdktf/provider-aws/lib/ecr-pull-through-cache-rule';
import { Construct } from 'constructs';
import { cacheRepositoryPrefix, cachedImage, cachedRegistryOf, pullableAtBoot } from '../../config/image-cache';
import type { GameConfig } from '../../config/resolve';
import type { ArnScope } from '../support/arn';
import { localArnScope } from './task-secrets';

export interface ImageCacheProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  /** Game id. */
  readonly gameId: string;
  /** The game's image as configured (a registry ECR can cache; the config checks it). */
  readonly image: string;
  readonly region: string;
  /** Any ARN of the game's account and partition (the cluster's): the cache's account, read at apply time. */
  readonly arnSource: string;
  /** Secrets Manager secret (ecr-pullthroughcache/…) with the upstream registry's credentials. */
  readonly credentialArn?: string;
}

/** The registry host of an account's private ECR in a region (the commercial partition's DNS suffix). */
export function ecrRegistryHost(scope: ArnScope): string {
  return `${scope.account}.dkr.ecr.${scope.region}.amazonaws.com`;
}

export class ImageCache extends Construct {
  readonly rule: EcrPullThroughCacheRule;
  /** The image as the task pulls it, through the cache. */
  readonly image: string;
  /** ARN pattern of the repositories the cache creates for this game (`<prefix>/<upstream repository>`). */
  readonly repositoryArns: string;

  constructor(scope: Construct, id: string, props: ImageCacheProps) {
    super(scope, id);
    const registry = cachedRegistryOf(props.image);
    if (!registry) throw new Error(`game ${props.gameId}: ECR cannot cache the registry of ${props.image}`);
    const repositoryPrefix = cacheRepositoryPrefix(props.prefix, props.gameId);
    this.rule = new EcrPullThroughCacheRule(this, 'rule', {
      ecrRepositoryPrefix: repositoryPrefix,
      upstreamRegistryUrl: registry.upstreamUrl,
      credentialArn: props.credentialArn,
    });
    // Locals keep the ARN-splitting expressions (and their quotes) out of the container definitions' JSON.
    const where = localArnScope(this, props.arnSource, props.region);
    // The rule's prefix, read from the rule, so the task is created after the rule exists.
    this.image = cachedImage(props.image, ecrRegistryHost(where), this.rule.ecrRepositoryPrefix);
    const { partition, region, account } = where;
    this.repositoryArns = `arn:${partition}:ecr:${region}:${account}:repository/${this.rule.ecrRepositoryPrefix}/*`;
  }
}

/** What a game's task and host do with its image. */
export interface GameImage {
  /** The image the task definition names (through the cache when the game has one). */
  readonly image: string;
  /** The image the host pulls at boot, when it can without credentials. */
  readonly prePullImage?: string;
  /** Repositories the host role fills on a first pull through the cache. */
  readonly cacheRepositoryArns?: string;
  readonly cache?: ImageCache;
}

export interface GameImageProps {
  readonly prefix: string;
  readonly game: Pick<GameConfig, 'id' | 'image' | 'imageCache'>;
  readonly region: string;
  /** Any ARN of the game's account and partition (the cluster's), read at apply time. */
  readonly arnSource: string;
}

/**
 * The game's image, through its pull-through cache when it has one. The host
 * pre-pulls an image it can reach without credentials; an image in ECR (the
 * cache's too) is left to the ECS agent, which logs in with the host role.
 */
export function gameImage(scope: Construct, props: GameImageProps): GameImage {
  const { game } = props;
  if (!game.imageCache) return { image: game.image, prePullImage: pullableAtBoot(game.image) ? game.image : undefined };
  const cache = new ImageCache(scope, 'image-cache', {
    prefix: props.prefix,
    gameId: game.id,
    image: game.image,
    region: props.region,
    arnSource: props.arnSource,
    credentialArn: game.imageCache.credentialArn,
  });
  return { image: cache.image, cacheRepositoryArns: cache.repositoryArns, cache };
}
