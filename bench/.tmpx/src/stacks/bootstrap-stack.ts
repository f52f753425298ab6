import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { Config } from '../config/resolve';
import { defaultTags } from '../constructs/support/naming';
import { StateBucket } from '../constructs/shared/state-bucket';

export const BOOTSTRAP_STACK = 'bootstrap';

/**
 * Creates the state bucket the other stacks keep their state in. Its own
 * state stays local, in `terraform.bootstrap.tfstate` in the project folder:
 * keep that file, or import the bucket again if it is lost.
 */
export class BootstrapStack extends TerraformStack {
  constructor(scope: Construct, config: Config) {
    super(scope, BOOTSTRAP_STACK);
    // Relative to cdktf.out/stacks/bootstrap, where Terraform runs: the project folder,
    // not the output folder that every synth may wipe.
    new LocalBackend(this, { path: '../../../terraform.bootstrap.tfstate' });
    new AwsProvider(this, 'aws', { region: config.state.region, defaultTags: [{ tags: defaultTags(config.name, config.tags) }] });
    const state = new StateBucket(this, 'state', { bucketName: config.state.bucket });
    new TerraformOutput(this, 'state-bucket', { value: state.bucket.bucket });
  }
}
