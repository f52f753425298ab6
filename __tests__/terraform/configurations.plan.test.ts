/**
 * Real `terraform validate` and `plan`, offline, of every configuration the
 * repository ships (gamemanagement.yaml and each example) and of a worlds
 * stack that releases kept worlds — all in one Terraform root, planned once
 * (see support/plan-suite.ts).
 */
import { parseConfigText } from '../../src/config/load';
import { describeBundledPlans, shippedConfigurations } from '../support/plan-suite';

const RELEASED = 'a worlds stack releasing a dropped game and an adopting game';

const plans = describeBundledPlans([
  ...shippedConfigurations(),
  {
    label: RELEASED,
    load: () => parseConfigText([
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
    ].join('\n'), 'released.yaml', {}),
    stacks: ['gamemanagement-worlds'],
    released: [{ gameId: 'mc', gameRemoved: false }, { gameId: 'old-game', gameRemoved: true }],
  },
]);

// A kept world whose game is gone becomes a `removed { destroy = false }` block: Terraform
// accepts it (validated above) and plans nothing destructive for it.
it('releases kept worlds with removed blocks and creates no file system for them', () => {
  expect(plans.stackJson(RELEASED, 'gamemanagement-worlds').removed).toEqual([
    { from: 'aws_efs_file_system.world_mc', lifecycle: { destroy: false } },
    { from: 'aws_efs_file_system.world_old_game', lifecycle: { destroy: false } },
    { from: 'aws_efs_backup_policy.world_old_game_backup', lifecycle: { destroy: false } },
  ]);
  expect(plans.plan(RELEASED, 'gamemanagement-worlds')!.byType.aws_efs_file_system).toBeUndefined();
});

// `cdktf output gamemanagement`: per game, the name players connect to, its SRV record and ports.
it('outputs each game\'s address, SRV record (when it has one) and ports beside the zone\'s', () => {
  const shipped = plans.stackJson('gamemanagement.yaml', 'gamemanagement').output;
  expect(shipped['game-mc'].value).toEqual({ address: 'mc.example.com', srv: '_minecraft._tcp.mc.example.com', ports: ['25565/tcp'] });
  expect(Object.keys(shipped)).toEqual(expect.arrayContaining(['name_servers', 'zone_id', 'game-mc']));
  const satisfactory = plans.stackJson('examples/satisfactory.yaml', 'gamemanagement').output;
  expect(satisfactory['game-satisfactory'].value).toEqual({ address: 'satisfactory.example.net', ports: ['7777/udp', '7777/tcp', '8888/tcp'] });
});
