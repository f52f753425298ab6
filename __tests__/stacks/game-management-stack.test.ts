import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing } from 'cdktf';
import { configDocument, exampleYaml, minecraft } from '../constructs/support/fixtures';
import { synthDocument, synthYaml, type Body, type SynthesizedApp } from '../constructs/support/synth';

Testing.setupJest();

const TAGS = { Project: 'GameManagement', ManagedBy: 'cdktf', Deployment: 'gm', Owner: 'friends' };

describe('main stack', () => {
  let synth: SynthesizedApp;
  beforeAll(() => {
    synth = synthDocument(configDocument({ mc: minecraft() }, {
      region: 'eu-north-1',
      state: { bucket: 'my-gm-state', key: 'games/prod.tfstate', region: 'eu-central-1' },
      tags: { Owner: 'friends' },
    }));
  });

  it('keeps state in the S3 bucket, encrypted, with S3-native locking and no DynamoDB table', () => {
    const backend = synth.main.json.terraform?.backend ?? {};
    expect(Object.keys(backend)).toEqual(['s3']);
    expect(backend.s3).toEqual(expect.objectContaining({
      bucket: 'my-gm-state',
      key: 'games/prod.tfstate',
      region: 'eu-central-1',
      encrypt: true,
      use_lockfile: true,
    }));
    expect(backend.s3).not.toHaveProperty('dynamodb_table');
  });

  it('has a default provider in the game region and a us_east_1 alias, both tagging every resource', () => {
    const providers = synth.main.json.provider?.aws ?? [];
    expect(providers).toHaveLength(2);
    const defaults = providers.filter((p) => p.alias === undefined);
    expect(defaults).toHaveLength(1);
    expect(defaults[0]).toMatchObject({ region: 'eu-north-1', default_tags: [{ tags: TAGS }] });
    expect(synth.main.text).toHaveProviderWithProperties(AwsProvider, {
      alias: 'us_east_1',
      region: 'us-east-1',
      default_tags: [{ tags: TAGS }],
    });
  });

  it('reads nothing from AWS at plan time: the only data source is the worlds stack state', () => {
    const data = synth.main.json.data ?? {};
    expect(Object.keys(data)).toEqual(['terraform_remote_state']);
    const remote = Object.values(data.terraform_remote_state ?? {}) as Body[];
    expect(remote).toHaveLength(1);
    expect(remote[0]).toMatchObject({
      backend: 's3',
      config: { bucket: 'my-gm-state', key: 'games/prod.worlds.tfstate', region: 'eu-central-1', encrypt: true },
    });
  });

  it('has no load balancer of any kind and no NAT gateway', () => {
    const types = Object.keys(synth.main.json.resource ?? {});
    expect(types.filter((t) => /^aws_(lb|alb|elb)(_|$)/.test(t))).toEqual([]);
    expect(types).not.toContain('aws_nat_gateway');
  });
});

describe('worlds stack state', () => {
  it('lives beside the main state under the .worlds key, with the same protections', () => {
    const synth = synthDocument(configDocument({ mc: minecraft() }));
    expect(synth.worlds.json.terraform?.backend).toEqual({
      s3: expect.objectContaining({
        bucket: 'example-com-gamemanagement-state',
        key: 'gamemanagement.worlds.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        use_lockfile: true,
      }),
    });
    expect(synth.worlds.json.terraform?.backend?.s3).not.toHaveProperty('dynamodb_table');
  });
});

describe('the shipped example', () => {
  let synth: SynthesizedApp;
  beforeAll(() => {
    synth = synthYaml(exampleYaml());
  });

  it('synthesizes every stack with no data source that calls AWS', () => {
    for (const stack of [synth.bootstrap, synth.worlds, synth.main]) {
      const dataTypes = Object.keys(stack.json.data ?? {});
      expect(dataTypes.filter((t) => t !== 'terraform_remote_state')).toEqual([]);
    }
  });

  it('names no provider on a resource other than the us_east_1 alias (the rest use the default)', () => {
    const resourceProviders = new Set<string>();
    for (const byName of Object.values(synth.main.json.resource ?? {})) {
      for (const body of Object.values(byName)) {
        if (typeof body.provider === 'string') resourceProviders.add(body.provider);
      }
    }
    expect([...resourceProviders].sort()).toEqual(['aws.us_east_1']);
  });
});
