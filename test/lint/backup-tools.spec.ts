import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { natscliCacheDir, natscliConnectionArgs } from '../../scripts/lib/backup/jetstream.ts';

/** The backup tools are given the stack's generated secrets on their command line. */
describe('backup tools', () => {
  const connection = { servers: 'nats://127.0.0.1:4222', user: 'ops', pass: '-dashFirst_secret' };

  it('gives natscli each connection setting as one --flag=value argument (a password may begin with "-")', () => {
    expect(natscliConnectionArgs(connection)).toEqual(['--server=nats://127.0.0.1:4222', '--user=ops', '--password=-dashFirst_secret']);
  });

  // natscli is built on first need (a minute or more): checked against it when a run before built it.
  const natscli = join(natscliCacheDir(), 'nats');
  (existsSync(natscli) ? it : it.skip)('natscli reads such a password as the password, not as a flag', () => {
    // No server listens on port 1: natscli gets past parsing its flags and fails to connect.
    const run = (args: string[]) => {
      try {
        execFileSync(natscli, [...args, '--timeout=1s', 'rtt'], { stdio: 'pipe' });
        return '';
      } catch (error) {
        return String((error as { stderr?: Buffer }).stderr ?? '');
      }
    };
    expect(run(['--server', 'nats://127.0.0.1:1', '--user', 'ops', '--password', connection.pass])).toMatch(
      /expected argument for flag '--password'/,
    );
    expect(run(natscliConnectionArgs({ ...connection, servers: 'nats://127.0.0.1:1' }))).not.toMatch(/flag/);
  });
});
