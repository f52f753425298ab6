import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { assumeRolePolicy, policyDocument, Statement } from './iam-document';
import { bundleLambda, LAMBDA_RUNTIME, type ExtraFiles } from './lambda-bundle';

export interface BundledFunctionProps {
  /** Folder under src/lambdas/ whose handler.ts is the function. */
  readonly entry: string;
  /** Function name (`gm-<game>-<role>`). */
  readonly functionName: string;
  readonly description: string;
  /** Environment variables (Lambda allows 4 KB in all). Default none. */
  readonly environment?: Readonly<Record<string, string>>;
  /** What the function may do besides writing its own logs. Default nothing. */
  readonly statements?: readonly Statement[];
  /** Seconds. Default 30. */
  readonly timeoutSeconds?: number;
  /** MiB. Default 256. */
  readonly memoryMiB?: number;
  /** Days of logs kept. Default 14. */
  readonly logRetentionDays?: number;
  /** Files packed beside the code (read at cold start). Default none. */
  readonly extraFiles?: ExtraFiles;
  /** Provider for functions outside the game region (the waker lives in us-east-1). Default: the stack's default. */
  readonly provider?: AwsProvider;
}

/**
 * One Lambda function from `src/lambdas/<entry>/`: bundled by esbuild into a
 * deterministic zip, arm64 (cheaper per millisecond), with its own role whose
 * every action is listed inline, and a log group with retention created
 * before the function so Lambda never makes one that keeps logs forever.
 * No reserved concurrency: new accounts get a concurrency quota of 10, and
 * Lambda refuses any reservation that would leave less than 10 unreserved.
 */
export class BundledFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    const bundle = bundleLambda(props.entry, props.extraFiles);
    const asset = new TerraformAsset(this, 'code', { path: bundle.zipPath, type: AssetType.FILE });
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      provider: props.provider,
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays ?? 14,
    });
    this.role = new IamRole(this, 'role', {
      provider: props.provider,
      name: props.functionName,
      description: props.description,
      assumeRolePolicy: assumeRolePolicy('lambda.amazonaws.com'),
    });
    new IamRolePolicy(this, 'policy', {
      provider: props.provider,
      name: 'least-privilege',
      role: this.role.id,
      policy: policyDocument(
        { Sid: 'OwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${this.logGroup.arn}:*` },
        ...(props.statements ?? []),
      ),
    });
    this.function = new LambdaFunction(this, 'function', {
      provider: props.provider,
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: asset.path,
      // The zip is byte-for-byte reproducible, so this hash changes only with the code.
      sourceCodeHash: bundle.sha256,
      timeout: props.timeoutSeconds ?? 30,
      memorySize: props.memoryMiB ?? 256,
      environment: { variables: { POWERTOOLS_SERVICE_NAME: props.entry, ...props.environment } },
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      dependsOn: [this.logGroup],
    });
  }
}
