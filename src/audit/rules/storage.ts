/** The worlds (EFS): encrypted, TLS only, backed up, kept on destroy. */
import { block, gameOf, referenced, resourcesOfType, truthy, type AuditContext, type AuditResource, type Rule, type RuleFinding } from '../model';
import { deniesInsecureTransport, readStatements } from '../policies';

/** Whether a resource's `file_system_id` names this file system (by reference, by id, or unknown in a plan). */
function namesFileSystem(context: AuditContext, holder: AuditResource, fileSystem: AuditResource | string): boolean {
  const value = holder.values.file_system_id;
  if (typeof fileSystem === 'string') return value === fileSystem;
  if (holder.source !== fileSystem.source) return false;
  if (referenced(context, holder, value) === fileSystem) return true;
  if (fileSystem.kind === 'plan') return value === undefined || value === fileSystem.values.id;
  return false;
}

/** Every world: the file systems created here, and those adopted by id. */
function worlds(context: AuditContext): { fileSystem: AuditResource | string; source: string; shownAs: AuditResource | undefined }[] {
  const created = resourcesOfType(context, 'aws_efs_file_system').map((fs) => ({ fileSystem: fs, source: fs.source, shownAs: fs }));
  const adopted = context.config.games.flatMap((g) => (g.existingFileSystemId ? [g.existingFileSystemId] : [])).flatMap((id) =>
    context.stacks.filter((s) => s.kind === 'synth').flatMap((s) => {
      const user = s.resources.find((r) => r.values.file_system_id === id);
      return user ? [{ fileSystem: id, source: s.source, shownAs: user }] : [];
    }));
  return [...created, ...adopted];
}

export const efsEncrypted: Rule = {
  id: 'efs-encrypted',
  severity: 'high',
  title: 'World file systems encrypted',
  protects: 'The worlds at rest and in their backups.',
  fix: 'Set encrypted = true on the aws_efs_file_system (EFS cannot encrypt an existing file system: create a new one and copy the world).',
  check(context) {
    return resourcesOfType(context, 'aws_efs_file_system').filter((fs) => !truthy(fs.values.encrypted))
      .map((fs) => ({ resource: fs, detail: 'encrypted is not true' }));
  },
};

export const efsTlsOnly: Rule = {
  id: 'efs-tls-only',
  severity: 'high',
  title: 'World file systems accept TLS only',
  protects: 'World data in transit: an NFS mount without TLS sends it in the clear.',
  fix: 'Give each file system an aws_efs_file_system_policy that denies every action when aws:SecureTransport is false.',
  check(context) {
    const policies = resourcesOfType(context, 'aws_efs_file_system_policy');
    return worlds(context).flatMap(({ fileSystem, source, shownAs }): RuleFinding[] => {
      const own = policies.filter((p) => p.source === source && namesFileSystem(context, p, fileSystem));
      const denies = own.some((p) => {
        const statements = readStatements(p.values.policy);
        // A plan may leave a computed policy out: unknown is not a finding.
        return statements === undefined ? p.kind === 'plan' : deniesInsecureTransport(statements);
      });
      if (denies) return [];
      return shownAs ? [{ resource: shownAs, detail: own.length === 0 ? 'no file system policy' : 'its policy does not deny requests without TLS (aws:SecureTransport false)' }] : [];
    });
  },
};

/** Whether a backup selection's `resources` take in this file system (by reference, by id in an ARN, or unknown in a plan). */
function selectionCovers(context: AuditContext, selection: AuditResource, fileSystem: AuditResource | string, game: string | undefined): boolean {
  // A plan leaves what is known only after apply out (`null` in a list): the game's own selection is taken at its word.
  const unknown = () => selection.kind === 'plan' && game !== undefined && gameOf(context, selection) === game;
  const resources = selection.values.resources;
  if (!Array.isArray(resources)) return unknown();
  return resources.some((value) => {
    if (typeof value !== 'string') return unknown();
    if (typeof fileSystem === 'string') return value.endsWith(`:file-system/${fileSystem}`);
    return referenced(context, selection, value) === fileSystem || (fileSystem.kind === 'plan' && value === fileSystem.values.arn);
  });
}

/** Whether the plan a selection belongs to copies on a schedule and lets copies expire. */
function planBacksUp(context: AuditContext, selection: AuditResource): boolean {
  const plan = referenced(context, selection, selection.values.plan_id);
  // A plan in another stack, or not known until apply: not this rule's to judge.
  if (!plan) return true;
  const rules = Array.isArray(plan.values.rule) ? (plan.values.rule as Record<string, unknown>[]) : [block(plan.values, 'rule')].filter((r): r is Record<string, unknown> => r !== undefined);
  return rules.some((r) => typeof r.schedule === 'string' && r.schedule !== '');
}

export const efsBackedUp: Rule = {
  id: 'efs-backup',
  severity: 'medium',
  title: 'Worlds backed up unless turned off',
  protects: 'The world against a bad mod, a griefer or a wrong restore: AWS Backup keeps daily copies for 35 days, in a vault gm restore can restore from.',
  fix: 'Keep games.<id>.backups true (the default); set it to false only for a world you can lose.',
  check(context) {
    const selections = resourcesOfType(context, 'aws_backup_selection');
    return worlds(context).flatMap(({ fileSystem, source, shownAs }): RuleFinding[] => {
      const game = typeof fileSystem === 'string'
        ? context.config.games.find((g) => g.existingFileSystemId === fileSystem)
        : context.config.games.find((g) => g.id === gameOf(context, fileSystem));
      if (game && !game.backups) return [];
      if (!shownAs) return [];
      const own = selections.filter((sel) => sel.source === source && selectionCovers(context, sel, fileSystem, game?.id));
      if (own.length === 0) return [{ resource: shownAs, detail: `no aws_backup_selection takes in this world: AWS Backup does not copy it${game ? ` while games.${game.id}.backups is true` : ''}` }];
      if (!own.some((sel) => planBacksUp(context, sel))) return [{ resource: shownAs, detail: 'its backup plan has no scheduled rule: no copy is ever made' }];
      return [];
    });
  },
};

export const storageKeptOnDestroy: Rule = {
  id: 'storage-destroy-protection',
  severity: 'medium',
  title: 'Worlds and state protected from destroy unless turned off',
  protects: 'A world (or the Terraform state) against a destroy or a rename that would delete it with its data.',
  fix: 'Keep games.<id>.keepOnDestroy true (the default): prevent_destroy on the file system; the state bucket always has prevent_destroy.',
  check(context) {
    const synthesized = (r: AuditResource) => r.kind === 'synth';
    const worldsUnprotected = resourcesOfType(context, 'aws_efs_file_system').filter(synthesized).flatMap((fs): RuleFinding[] => {
      const game = context.config.games.find((g) => g.id === gameOf(context, fs));
      if (fs.lifecycle?.preventDestroy || (game && !game.keepOnDestroy)) return [];
      return [{ resource: fs, detail: `no prevent_destroy${game ? ` while games.${game.id}.keepOnDestroy is true` : ''}` }];
    });
    const stateUnprotected = resourcesOfType(context, 'aws_s3_bucket').filter(synthesized)
      .filter((b) => b.values.bucket === context.config.state.bucket && !b.lifecycle?.preventDestroy)
      .map((b) => ({ resource: b, detail: 'the state bucket has no prevent_destroy' }));
    return [...worldsUnprotected, ...stateUnprotected];
  },
};

export const STORAGE_RULES: readonly Rule[] = [efsEncrypted, efsTlsOnly, efsBackedUp, storageKeptOnDestroy];
