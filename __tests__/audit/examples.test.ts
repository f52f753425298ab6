/**
 * Every shipped configuration (gamemanagement.yaml and examples/*.yaml):
 * `gm audit` finds nothing and exits 0, and its IAM holds up under a real
 * policy evaluator — every action exists in AWS's action data, every resource
 * is "*" or an ARN of a service the action takes, and every call each
 * function's code makes, and every call the game host makes, is allowed on
 * the resource it is made on; a call outside the game's own resources is not.
 */
import { join } from 'node:path';
import { expandAction, resourceServices } from '../../src/audit/action-data';
import { runAudit } from '../../src/audit';
import { runAuditCommand } from '../../src/cli/commands/audit';
import { gameResourceNames } from '../../src/runtime/names';
import { sdkCalls } from '../constructs/control-loop/support/lambda-sources';
import { captureIo } from '../support/cli-io';
import { EXAMPLES, ROOT, synthesizedExample } from './support/examples';
import { evaluateCalls, resolvedPolicies, TEST_ACCOUNT } from './support/evaluate';
import { CALLS, platformCalls, type Call } from './support/function-calls';
import { functionsOf, hostRoleOf, roleArnOf } from './support/functions';
import { hostCalls } from './support/host-calls';

const scopeIn = (region: string) => ({ ...TEST_ACCOUNT, region });

describe.each(EXAMPLES)('%s', (file) => {
  const example = () => synthesizedExample(file);

  it('gm audit finds nothing, prints every game and exits 0', async () => {
    expect(await runAudit(example().context)).toEqual([]);
    const io = captureIo();
    const code = await runAuditCommand([], io.io, { GM_CONFIG: join(ROOT, file) }, () => example().stacks as never);
    expect(io.out.at(-1)).toBe('0 high, 0 medium, 0 low');
    for (const game of example().config.games) expect(io.out).toContain(`game ${game.id}`);
    expect(code).toBe(0);
  });

  it('every action of every role exists, and every resource is "*" or an ARN the action takes', async () => {
    const roles = [...functionsOf(example().context).map((f) => f.role), ...example().config.games.map((g) => hostRoleOf(example().context, gameResourceNames(example().config.name, g.id).hostRole))];
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) {
      for (const { policy } of resolvedPolicies(example().context, role)) {
        for (const statement of policy.Statement as { Action: string[]; Resource: string[] }[]) {
          const services = new Set<string>();
          for (const action of statement.Action) {
            expect({ role: role.values.name, action, known: (await expandAction(action)).length > 0 }).toEqual({ role: role.values.name, action, known: true });
            for (const s of await resourceServices(action)) services.add(s);
          }
          for (const resource of statement.Resource.filter((r) => r !== '*')) {
            const service = /^arn:aws:([a-z0-9-]+):/.exec(resource)?.[1];
            expect({ role: role.values.name, resource, service, ofTheAction: service !== undefined && services.has(service) })
              .toEqual({ role: role.values.name, resource, service: expect.any(String), ofTheAction: true });
          }
        }
      }
    }
  });

  it('each function is allowed every call its code makes, on the resources it makes it on', async () => {
    for (const { subject, role } of functionsOf(example().context)) {
      const scope = scopeIn(example().config.region);
      const calls: Call[] = [...platformCalls(subject, scope)];
      for (const action of new Set(sdkCalls(subject.entry).map((c) => c.iamAction ?? c.command))) {
        const resolver = CALLS[subject.entry][action];
        // A call the code makes with no entry in CALLS: say on what it is made, so it is checked too.
        expect({ fn: subject.functionName, action, known: resolver !== undefined }).toEqual({ fn: subject.functionName, action, known: true });
        calls.push(...resolver!(subject, example().config, scope));
      }
      const verdicts = await evaluateCalls(roleArnOf(role), resolvedPolicies(example().context, role), calls);
      expect({ fn: subject.functionName, denied: verdicts.filter((v) => v.result !== 'Allowed') }).toEqual({ fn: subject.functionName, denied: [] });
      expect(verdicts.length).toBeGreaterThan(2);
    }
  });

  it('each game host is allowed every call its agents make, and nothing on another game\'s cluster or world', async () => {
    const { config, context } = example();
    for (const game of config.games) {
      const role = hostRoleOf(context, gameResourceNames(config.name, game.id).hostRole);
      const policies = resolvedPolicies(context, role);
      const calls = hostCalls(config.name, game, scopeIn(config.region));
      expect((await evaluateCalls(roleArnOf(role), policies, calls)).filter((v) => v.result !== 'Allowed')).toEqual([]);
      // The same calls for another game's names: the cluster, log group and swap parameter are not this host's.
      const elsewhere = hostCalls(config.name, { ...game, id: `${game.id}-other` }, scopeIn(config.region))
        .filter((c) => c.resource.includes(`${game.id}-other`));
      expect(elsewhere.length).toBeGreaterThan(3);
      expect((await evaluateCalls(roleArnOf(role), policies, elsewhere)).filter((v) => v.result === 'Allowed')).toEqual([]);
    }
  });

  it('a watchdog may run commands only on its own game\'s host, and only when it counts connections', async () => {
    for (const { subject, role } of functionsOf(example().context).filter((f) => f.subject.entry === 'watchdog')) {
      const game = subject.game!;
      const instance = `arn:aws:ssm:${example().config.region}:${TEST_ACCOUNT.account}:document/${game.connectionsDocumentName}`;
      const host = `arn:aws:ec2:${example().config.region}:${TEST_ACCOUNT.account}:instance/i-0123456789abcdef0`;
      const verdicts = await evaluateCalls(roleArnOf(role), resolvedPolicies(example().context, role), [
        { action: 'ssm:SendCommand', resource: instance },
        { action: 'ssm:SendCommand', resource: host, context: { 'ssm:resourceTag/gm:game': game.id } },
        { action: 'ssm:SendCommand', resource: host, context: { 'ssm:resourceTag/gm:game': `${game.id}-other` } },
      ]);
      const expected = game.probe?.type === 'connections' ? ['Allowed', 'Allowed', 'ImplicitlyDenied'] : ['ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied'];
      expect({ game: game.id, verdicts: verdicts.map((v) => v.result) }).toEqual({ game: game.id, verdicts: expected });
    }
  });
});
