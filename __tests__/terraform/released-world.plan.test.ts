/**
 * A kept world whose game is gone becomes a `removed { destroy = false }` block
 * in the worlds stack. Real Terraform must accept it (validate) and plan
 * nothing destructive for it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app';
import { parseConfigText } from '../../src/config/load';
import { declaredResources, planStack, prepareStack } from '../support/terraform';

it('validates and plans a worlds stack that releases a dropped game and an adopting game', () => {
  const config = parseConfigText([
    'region: eu-west-1',
    'domain: { name: example.com }',
    'state: { bucket: example-state-bucket }',
    'games:',
    '  mc:',
    '    image: itzg/minecraft-server',
    '    instanceType: t4g.medium',
    '    ports: [{ port: 25565 }]',
    '    volumes: [{ path: /data }]',
    '    existingFileSystemId: fs-0123456789abcdef0',
    '',
  ].join('\n'), 'released.yaml', {});
  const out = mkdtempSync(join(tmpdir(), 'gm-released-'));
  buildApp(config, out, [{ gameId: 'mc', gameRemoved: false }, { gameId: 'old-game', gameRemoved: true }]).app.synth();
  const stack = prepareStack({ stacksDir: join(out, 'stacks'), stack: 'gamemanagement-worlds', region: 'eu-west-1' });
  expect(stack.json.removed).toEqual([
    { from: 'aws_efs_file_system.world_mc', lifecycle: { destroy: false } },
    { from: 'aws_efs_file_system.world_old_game', lifecycle: { destroy: false } },
    { from: 'aws_efs_backup_policy.world_old_game_backup', lifecycle: { destroy: false } },
  ]);
  expect(stack.run(['validate', '-no-color'])).toContain('Success! The configuration is valid.');
  const plan = planStack(stack);
  expect(plan.creates).toBe(declaredResources(stack.json));
  expect(plan.byType.aws_efs_file_system).toBeUndefined();
});
