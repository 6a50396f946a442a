import { RequestError, TimeoutError, NoRespondersError, PermissionViolationError } from '@nats-io/transport-node';
import { isJetStreamNotAnswering, withJetStreamRetry } from './jetstream-admin.js';

describe('withJetStreamRetry', () => {
  it('tries again while JetStream does not answer, then returns what the step returns', async () => {
    let calls = 0;
    const result = await withJetStreamRetry(
      'stream TEST',
      async () => {
        calls++;
        if (calls === 1) throw new TimeoutError();
        if (calls === 2) throw new RequestError('no responders', { cause: new NoRespondersError('$JS.API.STREAM.INFO.TEST') });
        return 'created';
      },
      { firstPauseMs: 1 },
    );
    expect(result).toBe('created');
    expect(calls).toBe(3);
  });

  it('throws anything else at once, and a timeout once its budget is spent', async () => {
    let calls = 0;
    const refused = new PermissionViolationError(
      'Permissions Violation for Publish to "$JS.API.STREAM.CREATE.X"',
      'publish',
      '$JS.API.STREAM.CREATE.X',
    );
    await expect(
      withJetStreamRetry('stream X', async () => {
        calls++;
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(calls).toBe(1);
    await expect(withJetStreamRetry('stream Y', () => Promise.reject(new TimeoutError()), { budgetMs: 30, firstPauseMs: 10 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
  });

  it('reads the cause nats.js wraps', () => {
    expect(isJetStreamNotAnswering(new RequestError('request failed', { cause: new TimeoutError() }))).toBe(true);
    expect(isJetStreamNotAnswering(new Error('stream not found'))).toBe(false);
  });
});
