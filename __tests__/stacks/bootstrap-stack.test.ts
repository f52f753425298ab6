import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Testing } from 'cdktf';
import { readPolicy } from '../constructs/support/hcl';
import { configDocument, minecraft } from '../constructs/support/fixtures';
import { only, ref, synthDocument, type SynthesizedApp } from '../constructs/support/synth';

Testing.setupJest();

describe('bootstrap stack (the state bucket)', () => {
  let synth: SynthesizedApp;
  beforeAll(() => {
    synth = synthDocument(configDocument({ mc: minecraft() }, {
      state: { bucket: 'my-gm-state', region: 'eu-central-1' },
      tags: { Owner: 'friends' },
    }));
  });

  it('keeps its own state in a local file, not in the bucket it creates', () => {
    const backend = synth.bootstrap.json.terraform?.backend;
    expect(Object.keys(backend ?? {})).toEqual(['local']);
    // Terraform runs in cdktf.out/stacks/bootstrap: the state goes to the project folder,
    // not into the output folder a synth may wipe.
    expect(backend?.local).toEqual({ path: '../../../terraform.bootstrap.tfstate' });
  });

  it('creates the bucket named in state.bucket in state.region, protected from destroy', () => {
    expect(synth.bootstrap.text).toHaveResourceWithProperties(S3Bucket, {
      bucket: 'my-gm-state',
      lifecycle: { prevent_destroy: true },
    });
    const providers = synth.bootstrap.json.provider?.aws ?? [];
    expect(providers).toHaveLength(1);
    expect(providers[0]).toMatchObject({
      region: 'eu-central-1',
      default_tags: [{ tags: { Project: 'GameManagement', ManagedBy: 'cdktf', Deployment: 'gm', Owner: 'friends' } }],
    });
  });

  it('versions, encrypts and blocks every kind of public access on that bucket', () => {
    const bucket = only(synth.bootstrap.json, 'aws_s3_bucket');
    const bucketId = ref('aws_s3_bucket', bucket, 'id');
    expect(synth.bootstrap.text).toHaveResourceWithProperties(S3BucketVersioningA, {
      bucket: bucketId,
      versioning_configuration: { status: 'Enabled' },
    });
    expect(synth.bootstrap.text).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      bucket: bucketId,
      rule: [expect.objectContaining({ apply_server_side_encryption_by_default: { sse_algorithm: expect.stringMatching(/^(AES256|aws:kms)$/) } })],
    });
    expect(synth.bootstrap.text).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: bucketId,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it('denies every request that does not use TLS, on the bucket and its objects', () => {
    const bucket = only(synth.bootstrap.json, 'aws_s3_bucket');
    const policy = only(synth.bootstrap.json, 'aws_s3_bucket_policy');
    expect(policy.body.bucket).toBe(ref('aws_s3_bucket', bucket, 'id'));
    const deny = readPolicy(policy.body.policy).Statement.filter((s) => s.Effect === 'Deny');
    expect(deny).toHaveLength(1);
    expect(deny[0]).toMatchObject({
      Principal: '*',
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    const arn = ref('aws_s3_bucket', bucket, 'arn');
    expect(deny[0]!.Resource).toEqual(expect.arrayContaining([arn, `${arn}/*`]));
  });

  it('creates nothing but the bucket and its settings, and asks AWS for nothing at plan time', () => {
    const types = Object.keys(synth.bootstrap.json.resource ?? {});
    expect(types.every((t) => t.startsWith('aws_s3_bucket'))).toBe(true);
    expect(synth.bootstrap.json.data).toBeUndefined();
  });
});
