import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AssetType, TerraformAsset, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { LAMBDA_ENV_LIMIT_BYTES } from '../../runtime/env';
import { assumeRolePolicy, policyDocument, policySizeEstimate, ROLE_INLINE_POLICY_LIMIT_CHARS, Statement } from './iam-document';
import { bundleLambda, LAMBDA_RUNTIME, type ExtraFiles, type LambdaBundle } from './lambda-bundle';
import { terraformLiterals } from './literal';

/** Where the record of an asynchronous invocation that failed for good goes. */
export type FailureDestination =
  /** Another function (the game's failsafe): the role may invoke it. */
  | { readonly functionArn: string }
  /** A topic (alerts by e-mail): the role may publish to it. */
  | { readonly topicArn: string };

export interface AsyncInvocation {
  /** Retries after a failed run (0 to 2). */
  readonly maximumRetryAttempts: number;
  /** Seconds an event may wait for a run (60 to 21600); older events are dropped (and sent to `onFailure`). */
  readonly maximumEventAgeInSeconds: number;
  /** Where a final failure goes. Default nowhere (Lambda drops it). */
  readonly onFailure?: FailureDestination;
}

export interface BundledFunctionProps {
  /** Folder under src/lambdas/ whose handler.ts is the function. */
  readonly entry: string;
  /** Function name (`gm-<game>-<role>`). */
  readonly functionName: string;
  readonly description: string;
  /** Environment variables (Lambda allows 4 KB in all; see src/runtime/env.ts for each function's). Default none. */
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
  /** Retries and the failure destination of asynchronous invocations. Default Lambda's (2 retries, 6 h, no destination). */
  readonly asyncInvocation?: AsyncInvocation;
  /** Provider for functions outside the game region (the waker lives in us-east-1). Default: the stack's default. */
  readonly provider?: AwsProvider;
}

/** One asset per zip and stack: 50 games share five zips instead of copying 150. */
const assetsOfStack = new WeakMap<TerraformStack, Map<string, TerraformAsset>>();

function sharedAsset(scope: Construct, entry: string, bundle: LambdaBundle): TerraformAsset {
  const stack = TerraformStack.of(scope);
  let assets = assetsOfStack.get(stack);
  if (!assets) {
    assets = new Map();
    assetsOfStack.set(stack, assets);
  }
  let asset = assets.get(bundle.zipPath);
  if (!asset) {
    // Named by the function folder and the zip's content, so two zips of one folder (other data files) get two assets.
    const id = `lambda-code-${entry}-${Buffer.from(bundle.sha256, 'base64').toString('hex').slice(0, 12)}`;
    asset = new TerraformAsset(stack, id, { path: bundle.zipPath, type: AssetType.FILE });
    assets.set(bundle.zipPath, asset);
  }
  return asset;
}

/** Bytes of an environment as Lambda counts them: every key and value. */
export function environmentBytes(environment: Readonly<Record<string, string>>): number {
  return Object.entries(environment).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
}

const asList = (value: string | readonly string[] | undefined): readonly string[] => (value === undefined ? [] : typeof value === 'string' ? [value] : value);

/** What Lambda needs to deliver to the destination, unless `statements` allow it already. */
function destinationStatements(destination: FailureDestination, statements: readonly Statement[]): Statement[] {
  const [action, resource] = 'functionArn' in destination ? ['lambda:InvokeFunction', destination.functionArn] : ['sns:Publish', destination.topicArn];
  const granted = statements.some((s) => s.Effect === 'Allow' && !s.Condition && asList(s.Action).includes(action) && asList(s.Resource).includes(resource));
  return granted ? [] : [{ Sid: 'FailuresToDestination', Effect: 'Allow', Action: action, Resource: resource }];
}

/**
 * One Lambda function from `src/lambdas/<entry>/`: bundled by esbuild into a
 * deterministic zip, arm64 (cheaper per millisecond), with its own role whose
 * every action is listed inline, and a log group with retention created
 * before the function so Lambda never makes one that keeps logs forever.
 * No reserved concurrency: new accounts get a concurrency quota of 10, and
 * Lambda refuses any reservation that would leave less than 10 unreserved.
 * The environment and the role's policy are checked against Lambda's and
 * IAM's limits here, so a deployment that could not be applied fails the synth.
 */
export class BundledFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly invokeConfig?: LambdaFunctionEventInvokeConfig;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    // Lambda's and IAM's limits are checked before bundling: a function that could not be deployed costs no build.
    const environment = { POWERTOOLS_SERVICE_NAME: props.entry, ...props.environment };
    const bytes = environmentBytes(environment);
    if (bytes > LAMBDA_ENV_LIMIT_BYTES) {
      throw new Error(`function ${props.functionName} needs ${bytes} bytes of environment, past Lambda's limit of ${LAMBDA_ENV_LIMIT_BYTES} bytes`);
    }
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
    const granted = props.statements ?? [];
    const statements: Statement[] = [
      { Sid: 'OwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${this.logGroup.arn}:*` },
      ...granted,
      ...(props.asyncInvocation?.onFailure ? destinationStatements(props.asyncInvocation.onFailure, granted) : []),
    ];
    const size = policySizeEstimate(statements);
    if (size > ROLE_INLINE_POLICY_LIMIT_CHARS) {
      throw new Error(
        `the role of function ${props.functionName} would need a policy of up to ${size} characters, past IAM's limit of ` +
          `${ROLE_INLINE_POLICY_LIMIT_CHARS} characters of inline policy per role; grant by name pattern instead of listing resources`,
      );
    }
    const bundle = bundleLambda(props.entry, props.extraFiles);
    const asset = sharedAsset(this, props.entry, bundle);
    const policy = new IamRolePolicy(this, 'policy', {
      provider: props.provider,
      name: 'least-privilege',
      role: this.role.id,
      policy: policyDocument(...statements),
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
      // Values reach the function as written (GM_GAME is JSON of the configuration); references stay references.
      environment: { variables: terraformLiterals(environment) },
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      dependsOn: [this.logGroup],
    });
    const invocation = props.asyncInvocation;
    if (invocation) {
      this.invokeConfig = new LambdaFunctionEventInvokeConfig(this, 'async', {
        provider: props.provider,
        functionName: this.function.functionName,
        maximumRetryAttempts: invocation.maximumRetryAttempts,
        maximumEventAgeInSeconds: invocation.maximumEventAgeInSeconds,
        destinationConfig: invocation.onFailure
          ? { onFailure: { destination: 'functionArn' in invocation.onFailure ? invocation.onFailure.functionArn : invocation.onFailure.topicArn } }
          : undefined,
        // Lambda checks at once that the role may reach the destination.
        dependsOn: [policy],
      });
    }
  }
}
