/** The Terraform state: its bucket (bootstrap stack) and every stack's backend. */
import { block, blocks, referenced, resourcesOfType, truthy, type AuditContext, type AuditResource, type Rule, type RuleFinding } from '../model';
import { deniesInsecureTransport, readStatements } from '../policies';

function stateBuckets(context: AuditContext): AuditResource[] {
  return resourcesOfType(context, 'aws_s3_bucket').filter((b) => b.values.bucket === context.config.state.bucket);
}

/** The bucket's companion resources of one type (versioning, policy…), by reference or by bucket name. */
function settingsOf(context: AuditContext, bucket: AuditResource, type: string): AuditResource[] {
  return resourcesOfType(context, type).filter((r) => r.source === bucket.source
    && (referenced(context, r, r.values.bucket) === bucket || r.values.bucket === bucket.values.bucket));
}

function perBucket(context: AuditContext, check: (bucket: AuditResource) => string[]): RuleFinding[] {
  return stateBuckets(context).flatMap((bucket) => check(bucket).map((detail) => ({ resource: bucket, detail })));
}

export const stateVersioned: Rule = {
  id: 'state-bucket-versioned',
  severity: 'high',
  title: 'State bucket versioned',
  protects: 'The Terraform state against an overwrite or deletion: every earlier version can be restored.',
  fix: 'Add aws_s3_bucket_versioning with status Enabled to the state bucket (the bootstrap stack does).',
  check(context) {
    return perBucket(context, (bucket) => (settingsOf(context, bucket, 'aws_s3_bucket_versioning')
      .some((v) => block(v.values, 'versioning_configuration')?.status === 'Enabled') ? [] : ['versioning is not Enabled']));
  },
};

export const statePrivate: Rule = {
  id: 'state-bucket-private',
  severity: 'high',
  title: 'State bucket private',
  protects: 'The state (every resource id, and whatever secrets Terraform keeps in it) from a public ACL or policy.',
  fix: 'Add aws_s3_bucket_public_access_block with all four settings true, and aws_s3_bucket_ownership_controls BucketOwnerEnforced (no ACLs).',
  check(context) {
    return perBucket(context, (bucket) => {
      const blocked = settingsOf(context, bucket, 'aws_s3_bucket_public_access_block').some((b) =>
        ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every((k) => truthy(b.values[k])));
      const noAcls = settingsOf(context, bucket, 'aws_s3_bucket_ownership_controls')
        .some((o) => block(o.values, 'rule')?.object_ownership === 'BucketOwnerEnforced');
      return [...(blocked ? [] : ['public access is not blocked (all four settings)']), ...(noAcls ? [] : ['ACLs are not disabled (object ownership BucketOwnerEnforced)'])];
    });
  },
};

export const stateTlsOnly: Rule = {
  id: 'state-bucket-tls-only',
  severity: 'high',
  title: 'State bucket accepts TLS only',
  protects: 'The state in transit: a request over plain HTTP would carry it in the clear.',
  fix: 'Give the state bucket a policy that denies s3:* on the bucket and its objects when aws:SecureTransport is false.',
  check(context) {
    return perBucket(context, (bucket) => (settingsOf(context, bucket, 'aws_s3_bucket_policy').some((p) => {
      const statements = readStatements(p.values.policy);
      return statements === undefined ? p.kind === 'plan' : deniesInsecureTransport(statements);
    }) ? [] : ['no policy denies requests without TLS (aws:SecureTransport false)']));
  },
};

export const stateEncrypted: Rule = {
  id: 'state-encrypted',
  severity: 'high',
  title: 'State encrypted',
  protects: 'The state at rest: it holds every resource\'s attributes, including any secret a resource has.',
  fix: 'Encrypt the bucket by default (aws_s3_bucket_server_side_encryption_configuration) and set encrypt = true on every S3 backend.',
  check(context) {
    const buckets = perBucket(context, (bucket) => (settingsOf(context, bucket, 'aws_s3_bucket_server_side_encryption_configuration')
      .some((c) => blocks(c.values, 'rule').some((r) => typeof block(r, 'apply_server_side_encryption_by_default')?.sse_algorithm === 'string'))
      ? [] : ['no default encryption']));
    // A backend is not a resource: the finding names the stack's first resource's stack, as `terraform { backend }`.
    const backends = context.stacks.filter((s) => s.backend?.type === 's3' && !truthy(s.backend.settings.encrypt)).map((s) => ({
      resource: { source: s.source, kind: s.kind, type: 'terraform', name: 'backend', address: 'terraform.backend.s3', values: s.backend!.settings },
      detail: 'the S3 backend does not set encrypt = true',
    }));
    return [...buckets, ...backends];
  },
};

export const STATE_RULES: readonly Rule[] = [stateVersioned, statePrivate, stateTlsOnly, stateEncrypted];
