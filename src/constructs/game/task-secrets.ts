/**
 * A game's `secrets`: environment variables the ECS agent fills at container
 * start from SSM Parameter Store (SecureString) or Secrets Manager. Only the
 * parameter's or secret's ARN is in the task definition, so the value is never
 * in the synthesized JSON or in Terraform state. The task execution role (the
 * agent's credentials for this task) may read exactly those parameters and
 * secrets. No `kms:Decrypt`: ECS needs it only for a customer managed key, and
 * the default keys (aws/ssm, aws/secretsmanager) decrypt for the caller's
 * GetParameters / GetSecretValue.
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import type { Config, GameConfig } from '../../config/resolve';
import { accountOf, parameterArn, partitionOf, type ArnScope } from '../support/arn';
import { assumeRolePolicy, policyDocument, type Statement } from '../support/iam-document';
import { resourceName } from '../support/naming';

export type SecretSource = GameConfig['secrets'][string];

/**
 * Partition and account of `arn` (another resource's ARN) as Terraform locals, in `region`:
 * the ARNs built from them are plain `${local.…}` interpolations, which stay valid JSON
 * text inside the container definitions (a function call would bring its own quotes).
 */
export function localArnScope(scope: Construct, arn: string, region: string): ArnScope {
  const partition = new TerraformLocal(scope, 'arn-partition', partitionOf(arn));
  const account = new TerraformLocal(scope, 'arn-account', accountOf(arn));
  return { partition: partition.asString, region, account: account.asString };
}

/** One container secret as ECS takes it. */
export interface ContainerSecret {
  readonly name: string;
  readonly valueFrom: string;
}

/** A secret given by name: its ARN without Secrets Manager's random 6-character suffix (a partial ARN). */
function secretArnOf(scope: ArnScope, nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn : `arn:${scope.partition}:secretsmanager:${scope.region}:${scope.account}:secret:${nameOrArn}`;
}

/** `valueFrom` of one secret: the parameter's ARN, or the secret's ARN with `:<key>::` for a JSON key. */
export function secretValueFrom(scope: ArnScope, source: SecretSource): string {
  if ('ssmParameter' in source) return parameterArn(scope, source.ssmParameter);
  const arn = secretArnOf(scope, source.secretsManager);
  return source.key === undefined ? arn : `${arn}:${source.key}::`;
}

/** The container's `secrets`, sorted by name. */
export function containerSecrets(scope: ArnScope, secrets: GameConfig['secrets']): ContainerSecret[] {
  return Object.entries(secrets)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, source]) => ({ name, valueFrom: secretValueFrom(scope, source) }));
}

/** What the execution role may read: exactly the referenced parameters and secrets. */
export function secretReadStatements(scope: ArnScope, secrets: GameConfig['secrets']): Statement[] {
  const parameters = new Set<string>();
  const secretArns = new Set<string>();
  for (const source of Object.values(secrets)) {
    if ('ssmParameter' in source) {
      parameters.add(parameterArn(scope, source.ssmParameter));
    } else {
      const arn = secretArnOf(scope, source.secretsManager);
      // A secret's full ARN ends in -<6 random characters>; a name matches it only with the wildcard.
      secretArns.add(source.secretsManager.startsWith('arn:') ? arn : `${arn}-??????`);
    }
  }
  const statements: Statement[] = [];
  if (parameters.size > 0) {
    statements.push({ Sid: 'ReadSecretParameters', Effect: 'Allow', Action: 'ssm:GetParameters', Resource: [...parameters].sort() });
  }
  if (secretArns.size > 0) {
    statements.push({ Sid: 'ReadSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [...secretArns].sort() });
  }
  return statements;
}

export interface TaskExecutionRoleProps {
  readonly prefix: string;
  readonly gameId: string;
  readonly scope: ArnScope;
  readonly secrets: GameConfig['secrets'];
  /** The game's pull-through cache repositories (ARN pattern), when it has an image cache: ECS pulls with this role. */
  readonly imageCacheRepositoryArns?: string;
}

/**
 * The task execution role of a game with secrets. ECS uses it, not the host's
 * role, for the task's image pull too, so it may also pull from ECR.
 */
export class TaskExecutionRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: TaskExecutionRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: resourceName(props.prefix, props.gameId, 'exec'),
      description: `Starts the ${props.gameId} game container: reads its secrets, pulls its image`,
      assumeRolePolicy: assumeRolePolicy('ecs-tasks.amazonaws.com'),
    });
    new IamRolePolicy(this, 'policy', {
      name: 'secrets-and-image',
      role: this.role.id,
      policy: policyDocument(
        ...secretReadStatements(props.scope, props.secrets),
        // The registry token names no repository; the pulls name this account's repositories only.
        { Sid: 'EcrToken', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        {
          Sid: 'PullFromEcr',
          Effect: 'Allow',
          Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
          Resource: `arn:${props.scope.partition}:ecr:*:${props.scope.account}:repository/*`,
        },
        ...(props.imageCacheRepositoryArns
          ? [{
            Sid: 'FillTheImageCache',
            Effect: 'Allow' as const,
            // The first pull of an image not yet cached creates its repository and imports it from upstream.
            Action: ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage'],
            Resource: props.imageCacheRepositoryArns,
          }]
          : []),
      ),
    });
  }
}

/** Names that say "password or token". */
const SECRET_LIKE = /pass|secret|token|api.?key|rcon/i;

/**
 * One warning per plain `environment` value that looks like a password or a
 * token: it would be in the synthesized JSON and in Terraform state.
 */
export function plainSecretWarnings(config: Pick<Config, 'name' | 'region' | 'games'>): string[] {
  const warnings: string[] = [];
  for (const game of config.games) {
    for (const [name, value] of Object.entries(game.environment).sort(([a], [b]) => a.localeCompare(b))) {
      if (SECRET_LIKE.test(name) && value !== '') {
        const parameter = `/${config.name}/${game.id}/${name.toLowerCase().replace(/_/g, '-')}`;
        warnings.push(
          `games.${game.id}.environment.${name} looks like a password or token and would be stored in cdk.tf.json and Terraform state; ` +
            `move it to games.${game.id}.secrets.${name}: { ssmParameter: ${parameter} } after creating the parameter with ` +
            `aws ssm put-parameter --region ${config.region} --type SecureString --name ${parameter} --value '…'`,
        );
      }
    }
  }
  return warnings;
}
