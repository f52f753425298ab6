/**
 * The handler and fault tests mock `send`, which skips the SDK's retry
 * middleware: they throw what the SDK throws once its attempts are spent. Here
 * a real Auto Scaling client, made with the shared client settings the waker
 * uses (src/lambdas/shared/aws-clients.ts), runs against a fake HTTP layer, to
 * show that a throttled call is retried by the SDK itself and given up after
 * MAX_ATTEMPTS (after which the waker fails and Lambda retries the batch).
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { MAX_ATTEMPTS, lazyClient } from '../../../src/lambdas/shared/aws-clients';

interface FakeResponse {
  readonly statusCode: number;
  readonly body: string;
}

const THROTTLED: FakeResponse = {
  statusCode: 400,
  body:
    '<ErrorResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">' +
    '<Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>' +
    '<RequestId>req-throttled</RequestId></ErrorResponse>',
};

const GROUP_AT_ZERO: FakeResponse = {
  statusCode: 200,
  body:
    '<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">' +
    '<DescribeAutoScalingGroupsResult><AutoScalingGroups><member>' +
    '<AutoScalingGroupName>gm-minecraft-asg</AutoScalingGroupName><DesiredCapacity>0</DesiredCapacity>' +
    '<MinSize>0</MinSize><MaxSize>1</MaxSize><Instances/>' +
    '</member></AutoScalingGroups></DescribeAutoScalingGroupsResult>' +
    '<ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>',
};

/** An HTTP layer that answers from a script and records what was sent. */
function fakeHttp(script: readonly FakeResponse[]) {
  const sent: { host: string; body: string }[] = [];
  return {
    sent,
    requestHandler: {
      handle: async (request: { hostname: string; body?: unknown }) => {
        sent.push({ host: request.hostname, body: String(request.body ?? '') });
        const reply = script[Math.min(sent.length - 1, script.length - 1)]!;
        return {
          response: { statusCode: reply.statusCode, reason: '', headers: { 'content-type': 'text/xml' }, body: Buffer.from(reply.body) },
        };
      },
    },
  };
}

/**
 * Lets fake time pass until the promise settles: the SDK waits (with jitter)
 * between attempts, and the test should not. Settles or fails; never hangs.
 */
async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  let result: { value?: T; error?: unknown } | undefined;
  promise.then(
    (value) => (result = { value }),
    (error: unknown) => (result = { error }),
  );
  // The SDK also does real I/O (it reads the shared config files), which fake time does not
  // hurry: yield to the event loop each step, and bound the wait in real time, not in steps.
  const deadline = process.hrtime.bigint() + 60_000_000_000n;
  while (result === undefined && process.hrtime.bigint() < deadline) {
    await jest.advanceTimersByTimeAsync(1000);
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!result) throw new Error('the call did not settle within 60 s');
  return result;
}

function clientFor(http: ReturnType<typeof fakeHttp>) {
  const client = lazyClient(
    (config) =>
      new AutoScalingClient({
        ...config,
        // `as never`: the fake implements only the `handle` method the SDK calls.
        requestHandler: http.requestHandler as never,
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
      }),
  );
  return client('eu-central-1');
}

describe('the Auto Scaling client the waker calls the game region with', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('retries a throttled call and returns the answer that follows', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'hrtime'] });
    const http = fakeHttp([THROTTLED, GROUP_AT_ZERO]);

    const { value: out, error } = await settle(
      clientFor(http).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['gm-minecraft-asg'] })),
    );

    expect(error).toBeUndefined();
    expect(http.sent).toHaveLength(2);
    expect(http.sent[0]?.host).toBe('autoscaling.eu-central-1.amazonaws.com');
    expect(out?.AutoScalingGroups?.[0]).toMatchObject({ AutoScalingGroupName: 'gm-minecraft-asg', DesiredCapacity: 0 });
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts with the throttling error`, async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'hrtime'] });
    const http = fakeHttp([THROTTLED]);

    const { error } = await settle(
      clientFor(http).send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'gm-minecraft-asg', DesiredCapacity: 1, HonorCooldown: false })),
    );

    expect(error).toMatchObject({ name: 'Throttling', message: 'Rate exceeded' });
    expect(MAX_ATTEMPTS).toBe(5);
    expect(http.sent).toHaveLength(MAX_ATTEMPTS);
    expect(http.sent[0]?.body).toContain('Action=SetDesiredCapacity');
    expect(http.sent[0]?.body).toContain('HonorCooldown=false');
  });
});
