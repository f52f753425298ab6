/**
 * Offline Terraform for the tests: the plain mechanism lives in
 * `src/cli/terraform/offline.ts` (also behind `npm run validate`); see there.
 * Missing Terraform or provider mirror is an error that says what to
 * install — these tests never skip.
 */
export {
  AWS_PROVIDER_VERSION,
  declaredResources,
  findProviderMirror,
  moduleName,
  planStack,
  prepareStack,
  prepareStackBundle,
  terraformIsRecentEnough,
  terraformVersion,
  type Diagnostic,
  type PlanResult,
  type PlanSummary,
  type PreparedStack,
  type StackBundle,
  type StackRef,
} from '../../src/cli/terraform/offline';
