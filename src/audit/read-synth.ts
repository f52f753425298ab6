/**
 * Reads synthesized stacks (cdktf.out/stacks/<stack>/cdk.tf.json) into the
 * audit's model, and synthesizes a configuration in-process for it: the same
 * app `cdktf synth` builds, written to a temporary folder, no Terraform.
 */
import type { Config } from '../config/resolve';
import { synthesizedStacks } from '../synthesized-stacks';
import type { AuditResource, AuditStack, Values } from './model';

/** One stack's `cdk.tf.json`, as parsed JSON. */
export interface StackJson {
  readonly resource?: Record<string, Record<string, Values>>;
  readonly output?: Record<string, Values>;
  readonly terraform?: { readonly backend?: Record<string, Values> };
}

function lifecycleOf(body: Values): AuditResource['lifecycle'] {
  const lifecycle = (body.lifecycle ?? {}) as { ignore_changes?: unknown; prevent_destroy?: unknown };
  const ignore = lifecycle.ignore_changes;
  return {
    // `ignore_changes = all` ignores every attribute.
    ignoreChanges: ignore === 'all' ? ['all'] : Array.isArray(ignore) ? ignore.map(String) : [],
    preventDestroy: lifecycle.prevent_destroy === true,
  };
}

export function readStackJson(source: string, json: StackJson): AuditStack {
  const resources: AuditResource[] = Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({
      source,
      kind: 'synth' as const,
      type,
      name,
      address: `${type}.${name}`,
      values: body,
      lifecycle: lifecycleOf(body),
    })));
  const backendEntry = Object.entries(json.terraform?.backend ?? {})[0];
  const outputs = Object.fromEntries(Object.entries(json.output ?? {}).map(([name, body]) => [name, body.value]));
  const locals = (json as { locals?: Record<string, unknown> }).locals ?? {};
  return { source, kind: 'synth', resources, outputs, locals, ...(backendEntry ? { backend: { type: backendEntry[0], settings: backendEntry[1] } } : {}) };
}

/**
 * Synthesizes `config` in-process and reads it into the audit's model.
 * Plain-secret warnings are the audit's own finding (no-secrets-in-json): not printed twice.
 */
export function synthesizeForAudit(config: Config, configFile?: string): AuditStack[] {
  return synthesizedStacks(config, configFile).map(({ stack, json }) => readStackJson(stack, json as StackJson));
}
