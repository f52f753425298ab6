import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { defaultTags } from '../support/naming';

export interface AwsProvidersProps {
  /** Region the games run in (the default provider). */
  readonly region: string;
  /** Resource-name prefix, also the `Deployment` tag. */
  readonly prefix: string;
  /** Extra default tags. Default none. */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The default provider in the game region, and the alias `us_east_1`: Route53
 * writes query logs only to us-east-1, so everything on that path lives there.
 */
export class AwsProviders extends Construct {
  readonly gameRegion: AwsProvider;
  readonly usEast1: AwsProvider;

  constructor(scope: Construct, id: string, props: AwsProvidersProps) {
    super(scope, id);
    const tags = [{ tags: defaultTags(props.prefix, props.tags ?? {}) }];
    this.gameRegion = new AwsProvider(this, 'default', { region: props.region, defaultTags: tags });
    this.usEast1 = new AwsProvider(this, 'us_east_1', { region: 'us-east-1', alias: 'us_east_1', defaultTags: tags });
  }
}
