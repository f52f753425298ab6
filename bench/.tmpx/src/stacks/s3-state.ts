import { S3Backend, TerraformStack } from 'cdktf';
import type { Config } from '../config/resolve';

/**
 * S3 state with S3-native locking (`use_lockfile`, Terraform 1.10+): no
 * DynamoDB table to pay for or forget.
 */
export function useS3State(stack: TerraformStack, config: Config, key: string): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: config.state.bucket,
    key,
    region: config.state.region,
    encrypt: true,
  });
  // cdktf 0.21 predates use_lockfile in its typed config.
  backend.addOverride('use_lockfile', true);
  return backend;
}
