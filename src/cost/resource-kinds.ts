/**
 * How each Terraform resource type the stacks synthesize is billed. Every
 * type must be here: the walker reports a type it does not know instead of
 * guessing, and a test fails on it, so a new billable resource cannot slip
 * past `gm cost`. Free types say why they cost nothing.
 */

/** Types that bill while the game is stopped, each priced by the estimate. */
export const PRICED_TYPES = [
  'aws_route53_zone',
  'aws_route53_query_log',
  'aws_cloudwatch_log_group',
  'aws_cloudwatch_metric_alarm',
  'aws_efs_file_system',
  'aws_efs_backup_policy',
  // The recovery points it makes bill in the vault (per GB-month of the world's copies).
  'aws_backup_selection',
  'aws_budgets_budget',
  // Free itself; its instances are the running hour, and a warm pool's stopped instances keep their root volumes.
  'aws_autoscaling_group',
  // Standard parameters are free; an Advanced one is not in the price table.
  'aws_ssm_parameter',
] as const;

export type PricedType = (typeof PRICED_TYPES)[number];

/** Types that cost nothing (or nothing measurable), with the reason `gm cost --json` gives. */
export const FREE_TYPES: Readonly<Record<string, string>> = {
  aws_autoscaling_lifecycle_hook: 'part of the Auto Scaling group',
  aws_autoscaling_policy: 'part of the Auto Scaling group',
  aws_launch_template: 'a template; its instances are the running hour',
  aws_ecs_cluster: 'ECS on EC2 has no charge beyond the instance',
  aws_ecs_service: 'ECS on EC2 has no charge beyond the instance',
  aws_ecs_task_definition: 'ECS on EC2 has no charge beyond the instance',
  aws_backup_vault: 'a vault is free; the recovery points in it are priced with each world (world backups)',
  aws_backup_plan: 'a plan is free; the copies it makes are priced with each world (world backups)',
  aws_iam_role: 'IAM is free',
  aws_iam_role_policy: 'IAM is free',
  aws_iam_role_policy_attachment: 'IAM is free',
  aws_iam_instance_profile: 'IAM is free',
  aws_lambda_function: 'within the Lambda free tier (1 million requests and 400,000 GB-s a month, never expires)',
  aws_lambda_function_event_invoke_config: 'Lambda configuration',
  aws_lambda_permission: 'Lambda configuration',
  aws_cloudwatch_event_rule: 'EventBridge rules on AWS service events and schedules are free',
  aws_cloudwatch_event_target: 'EventBridge rules on AWS service events and schedules are free',
  aws_cloudwatch_log_resource_policy: 'CloudWatch Logs configuration',
  aws_cloudwatch_log_subscription_filter: 'CloudWatch Logs configuration (the waker it calls is Lambda)',
  aws_sns_topic: 'SNS: the first 1,000 e-mail notifications a month are free',
  aws_sns_topic_subscription: 'SNS: the first 1,000 e-mail notifications a month are free',
  aws_ssm_document: 'SSM documents are free',
  aws_ecr_pull_through_cache_rule: 'the rule is free; the images it caches bill as ECR storage per GB-month, which the price table does not hold yet',
  aws_route53_record: 'records are part of the hosted zone',
  aws_vpc: 'a VPC without NAT gateway or endpoints is free',
  aws_subnet: 'a VPC without NAT gateway or endpoints is free',
  aws_internet_gateway: 'internet gateways are free (data out is priced in the running hour)',
  aws_route: 'routing is free',
  aws_route_table: 'routing is free',
  aws_route_table_association: 'routing is free',
  aws_security_group: 'security groups are free',
  aws_default_security_group: 'security groups are free',
  aws_vpc_security_group_ingress_rule: 'security groups are free',
  aws_vpc_security_group_egress_rule: 'security groups are free',
  aws_efs_mount_target: 'mount targets are free (the file system is priced)',
  aws_efs_access_point: 'access points are free (the file system is priced)',
  aws_efs_file_system_policy: 'EFS configuration',
  // The state bucket holds a few kB of Terraform state: far below a cent a month.
  aws_s3_bucket: 'Terraform state: a few kB, below $0.01 a month',
  aws_s3_bucket_ownership_controls: 'S3 configuration',
  aws_s3_bucket_policy: 'S3 configuration',
  aws_s3_bucket_public_access_block: 'S3 configuration',
  aws_s3_bucket_server_side_encryption_configuration: 'S3 configuration (SSE-S3 is free)',
  aws_s3_bucket_versioning: 'S3 configuration (old versions of a few kB of state)',
};

export function isPricedType(type: string): type is PricedType {
  return (PRICED_TYPES as readonly string[]).includes(type);
}
