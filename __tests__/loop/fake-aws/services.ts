/**
 * The simpler services: SSM (parameters, and Run Command for the
 * `connections` probe), Route53 records, EventBridge rules and SNS.
 */
import { awsError } from '../../support/aws-errors';
import { ParameterStore } from '../../support/parameter-store';
import type { World } from './world';

function recordKey(name: string, type: string): string {
  return `${name.toLowerCase().replace(/\.+$/, '')} ${type.toUpperCase()}`;
}

export interface RecordValue {
  readonly ttl: number;
  readonly values: readonly string[];
}

export interface PublishedMessage {
  readonly at: string;
  readonly topicArn: string;
  readonly subject: string | undefined;
  readonly message: string;
}

/** What Run Command needs to answer the `connections` probe. */
export interface ConnectionsView {
  /** The game whose count-connections document this is; undefined for an unknown document. */
  gameOfDocument(documentName: string): string | undefined;
  /** The instance runs and its SSM agent is online. */
  ssmOnline(instanceId: string): boolean;
  /** The game's container runs on the instance and listens. */
  listening(gameId: string, instanceId: string): boolean;
  /** Players connected to the game on that instance. */
  players(gameId: string, instanceId: string): number;
}

export class Ssm {
  /** The parameters, as SSM keeps them (support/parameter-store.ts); each change a command makes goes to the journal. */
  readonly parameters = new ParameterStore();
  private readonly invocations = new Map<string, { status: string; code: number; stdout: string; stderr: string }>();
  private commandCounter = 0;

  constructor(private readonly world: World, private readonly connections: ConnectionsView) {
    this.parameters.onChange = (change, name) => this.world.log(`ssm ${change} ${name}`);
  }

  get(name: string | undefined) {
    return this.parameters.getParameter({ Name: name });
  }

  getMany(names: readonly string[]) {
    return this.parameters.getParameters({ Names: names });
  }

  put(input: { Name?: string; Value?: string; Overwrite?: boolean }) {
    return this.parameters.putParameter(input);
  }

  delete(name: string | undefined) {
    return this.parameters.deleteParameter({ Name: name });
  }

  value(name: string): string | undefined {
    return this.parameters.get(name);
  }

  /** Runs count-connections.sh at once: exit 3 while nothing listens, else the player count. */
  sendCommand(input: { DocumentName?: string; InstanceIds?: string[]; Parameters?: Record<string, string[]> }) {
    const gameId = input.DocumentName ? this.connections.gameOfDocument(input.DocumentName) : undefined;
    if (!gameId) throw awsError('InvalidDocument', `Document ${String(input.DocumentName)} does not exist`);
    const instanceIds = input.InstanceIds ?? [];
    if (instanceIds.length === 0 || instanceIds.some((id) => !this.connections.ssmOnline(id))) {
      throw awsError('InvalidInstanceId', 'Instances [' + instanceIds.join(', ') + '] not in a valid state for account');
    }
    const commandId = `command-${String(++this.commandCounter).padStart(6, '0')}`;
    for (const id of instanceIds) {
      const listening = this.connections.listening(gameId, id);
      this.invocations.set(`${commandId} ${id}`, listening
        ? { status: 'Success', code: 0, stdout: `${this.connections.players(gameId, id)}\n`, stderr: '' }
        : { status: 'Failed', code: 3, stdout: '', stderr: 'nothing listens on the game ports yet\n' });
    }
    return { Command: { CommandId: commandId, DocumentName: input.DocumentName, InstanceIds: instanceIds, Status: 'Pending' as const } };
  }

  getCommandInvocation(commandId: string | undefined, instanceId: string | undefined) {
    const invocation = this.invocations.get(`${String(commandId)} ${String(instanceId)}`);
    if (!invocation) throw awsError('InvocationDoesNotExist', 'the invocation does not exist');
    return {
      CommandId: commandId,
      InstanceId: instanceId,
      Status: invocation.status as never,
      StatusDetails: invocation.status,
      ResponseCode: invocation.code,
      StandardOutputContent: invocation.stdout,
      StandardErrorContent: invocation.stderr,
    };
  }
}

export class Route53 {
  readonly records = new Map<string, RecordValue>();
  private changeCounter = 0;

  constructor(private readonly world: World, private readonly hostedZoneId: string) {}

  set(name: string, type: string, value: RecordValue): void {
    this.records.set(recordKey(name, type), value);
  }

  get(name: string, type: string): RecordValue | undefined {
    return this.records.get(recordKey(name, type));
  }

  /** In Route53's order (names compared label by label from the right, then type), from the start name and type on. */
  list(input: { HostedZoneId?: string; StartRecordName?: string; StartRecordType?: string; MaxItems?: number }) {
    if (input.HostedZoneId?.replace(/^\/hostedzone\//, '') !== this.hostedZoneId) {
      throw awsError('NoSuchHostedZone', `No hosted zone found with ID: ${String(input.HostedZoneId)}`);
    }
    const order = (key: string) => {
      const [name = '', type = ''] = key.split(' ');
      return `${name.split('.').reverse().join('.')} ${type}`;
    };
    const start = input.StartRecordName ? order(recordKey(input.StartRecordName, input.StartRecordType ?? '')) : '';
    const sets = [...this.records.entries()]
      .filter(([key]) => order(key) >= start)
      .sort(([a], [b]) => (order(a) < order(b) ? -1 : 1));
    const max = input.MaxItems ?? 300;
    return {
      ResourceRecordSets: sets.slice(0, max).map(([key, value]) => {
        const [name = '', type = ''] = key.split(' ');
        return { Name: `${name}.`, Type: type as never, TTL: value.ttl, ResourceRecords: value.values.map((Value) => ({ Value })) };
      }),
      IsTruncated: sets.length > max,
      MaxItems: max,
    };
  }

  change(input: {
    HostedZoneId?: string;
    ChangeBatch?: { Changes?: { Action?: string; ResourceRecordSet?: { Name?: string; Type?: string; TTL?: number; ResourceRecords?: { Value?: string }[] } }[] };
  }) {
    if (input.HostedZoneId?.replace(/^\/hostedzone\//, '') !== this.hostedZoneId) {
      throw awsError('NoSuchHostedZone', `No hosted zone found with ID: ${String(input.HostedZoneId)}`);
    }
    const changes = input.ChangeBatch?.Changes ?? [];
    if (changes.length === 0) throw awsError('InvalidChangeBatch', 'ChangeBatch has no changes');
    // Route53 applies a batch all or nothing: check every change before applying any.
    const applied = changes.map((change) => {
      const set = change.ResourceRecordSet;
      if (!set?.Name || !set.Type) throw awsError('InvalidInput', 'a change lacks ResourceRecordSet Name or Type');
      const key = recordKey(set.Name, set.Type);
      const exists = this.records.has(key);
      if (change.Action === 'CREATE' && exists) throw awsError('InvalidChangeBatch', `record ${key} already exists`);
      if (change.Action === 'DELETE' && !exists) throw awsError('InvalidChangeBatch', `record ${key} does not exist`);
      if (change.Action !== 'CREATE' && change.Action !== 'UPSERT' && change.Action !== 'DELETE') {
        throw awsError('InvalidInput', `unknown change action ${String(change.Action)}`);
      }
      return { action: change.Action, key, value: { ttl: set.TTL ?? 0, values: (set.ResourceRecords ?? []).map((r) => r.Value ?? '') } };
    });
    for (const { action, key, value } of applied) {
      if (action === 'DELETE') this.records.delete(key);
      else this.records.set(key, value);
      this.world.log(`route53 ${action} ${key} ${value.values.join(',')}`);
    }
    return { ChangeInfo: { Id: `/change/C${++this.changeCounter}`, Status: 'PENDING' as const, SubmittedAt: new Date(this.world.time()) } };
  }
}

export class Rules {
  readonly states = new Map<string, 'ENABLED' | 'DISABLED'>();

  constructor(private readonly world: World) {}

  set(name: string | undefined, state: 'ENABLED' | 'DISABLED') {
    if (name === undefined || !this.states.has(name)) throw awsError('ResourceNotFoundException', `Rule ${String(name)} does not exist.`);
    if (this.states.get(name) !== state) this.world.log(`events ${name} ${state}`);
    this.states.set(name, state);
    return {};
  }

  describe(name: string | undefined) {
    const state = name === undefined ? undefined : this.states.get(name);
    if (state === undefined) throw awsError('ResourceNotFoundException', `Rule ${String(name)} does not exist.`);
    return { Name: name, State: state, ScheduleExpression: 'rate(1 minute)', Arn: `arn:aws:events:${this.world.region}:${this.world.account}:rule/${name}` };
  }
}

export class Sns {
  readonly published: PublishedMessage[] = [];

  constructor(private readonly world: World, private readonly topicArns: readonly string[]) {}

  publish(input: { TopicArn?: string; Subject?: string; Message?: string }) {
    if (!input.TopicArn || !this.topicArns.includes(input.TopicArn)) throw awsError('NotFoundException', `Topic does not exist: ${String(input.TopicArn)}`);
    if (input.Message === undefined) throw awsError('InvalidParameterException', 'Message is required');
    if (input.Subject !== undefined && (input.Subject.length === 0 || input.Subject.length > 100 || /[^\x20-\x7e]/.test(input.Subject))) {
      throw awsError('InvalidParameterException', `Invalid parameter: Subject must be 1 to 100 printable ASCII characters: ${input.Subject}`);
    }
    this.published.push({ at: this.world.iso(), topicArn: input.TopicArn, subject: input.Subject, message: input.Message });
    this.world.log(`sns ${input.Subject ?? '(no subject)'}`);
    return { MessageId: `message-${this.published.length}` };
  }
}
