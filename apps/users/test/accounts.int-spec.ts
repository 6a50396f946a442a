import { RpcError } from '@polystore/platform';
import { ErrorCode, UsersRpc } from '@polystore/contracts';
import { JwtService } from '@nestjs/jwt';
import { readFileSync } from 'node:fs';
import { loadUsersConfig } from '../src/config.js';
import { serviceForSuite } from '../../../test/support/service.js';
import { failure, offContract, uniqueEmail, usersModule } from './support.js';

/** users over real NATS request/reply, against the test stack's PostgreSQL. */
describe('users accounts (integration)', () => {
  const suite = serviceForSuite({ service: 'users', module: usersModule() });

  const register = (email: string, name = 'Grace Hopper', password = 'cobol-forever') => suite.rpc.send(UsersRpc.register, { email, name, password });

  it('registers a customer with a normalised email and never returns the hash', async () => {
    const email = uniqueEmail('grace');
    const profile = await register(email);
    expect(profile).toMatchObject({ email: email.toLowerCase(), name: 'Grace Hopper', role: 'customer' });
    expect(JSON.stringify(profile)).not.toMatch(/scrypt|password/i);
  });

  it('refuses the same email in another case with CONFLICT', async () => {
    const email = uniqueEmail('dup');
    await register(email.toLowerCase());
    const error = await failure(register(email.toUpperCase()));
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe(ErrorCode.Conflict);
  });

  it('logs in with a signed ES256 token carrying the role, and refuses a wrong password', async () => {
    const email = uniqueEmail('login');
    const profile = await register(email);
    const login = await suite.rpc.send(UsersRpc.login, { email, password: 'cobol-forever' });
    expect(login.tokenType).toBe('Bearer');
    const publicKey = readFileSync(process.env.GATEWAY_JWT_PUBLIC_KEY_FILE!, 'utf8');
    const claims = await new JwtService({ publicKey }).verifyAsync(login.accessToken, { algorithms: ['ES256'] });
    expect(claims).toMatchObject({ sub: profile.id, role: 'customer', iss: 'polystore-users', aud: 'polystore' });
    expect(claims.exp - claims.iat).toBe(loadUsersConfig().jwtTtlSeconds);

    expect((await failure(suite.rpc.send(UsersRpc.login, { email, password: 'wrong-password' }))).code).toBe(ErrorCode.Unauthenticated);
    expect((await failure(suite.rpc.send(UsersRpc.login, { email: uniqueEmail('nobody'), password: 'whatever1' }))).code).toBe(
      ErrorCode.Unauthenticated,
    );
  });

  it('updates the own profile, refuses a taken email, and shows other services public fields only', async () => {
    const a = await register(uniqueEmail('a'));
    const b = await register(uniqueEmail('b'));
    const updated = await suite.rpc.send(UsersRpc.updateProfile, { userId: a.id, name: 'Ada King' });
    expect(updated.name).toBe('Ada King');
    expect((await failure(suite.rpc.send(UsersRpc.updateProfile, { userId: a.id, email: b.email }))).code).toBe(ErrorCode.Conflict);
    const pub = await suite.rpc.send(UsersRpc.getPublicUser, { userId: a.id });
    expect(pub).toEqual({ id: a.id, name: 'Ada King', createdAt: a.createdAt });
  });

  it('answers getMany with the users found (an unknown id left out), and refuses none, more than 1000 or a non-UUID naming userIds', async () => {
    const [a, b] = await Promise.all([register(uniqueEmail('many-a'), 'Ada Many'), register(uniqueEmail('many-b'), 'Bob Many')]);
    const unknown = '01890000-0000-7000-8000-000000000000';
    const { users } = await suite.rpc.send(UsersRpc.getMany, { userIds: [a.id, b.id, unknown, a.id.toUpperCase()] });
    expect(users.sort((x, y) => x.name.localeCompare(y.name))).toEqual([
      { id: a.id, name: 'Ada Many', email: a.email },
      { id: b.id, name: 'Bob Many', email: b.email },
    ]);
    const thousand = Array.from({ length: 1000 }, (_, i) => `01890000-0000-7000-8000-${String(i).padStart(12, '0')}`);
    expect((await suite.rpc.send(UsersRpc.getMany, { userIds: [...thousand.slice(1), a.id] })).users.map((u) => u.id)).toEqual([a.id]);
    for (const userIds of [[], [...thousand, a.id], ['not-a-uuid']]) {
      const error = await failure(suite.rpc.send(UsersRpc.getMany, { userIds }));
      expect(error.code).toBe(ErrorCode.ValidationFailed);
      expect(JSON.stringify(error.details)).toMatch(/userIds/);
    }
  });

  it('answers NOT_FOUND for an unknown user and VALIDATION_FAILED naming bad fields', async () => {
    expect((await failure(suite.rpc.send(UsersRpc.getProfile, { userId: '01890000-0000-7000-8000-000000000000' }))).code).toBe(ErrorCode.NotFound);
    const invalid = await failure(suite.rpc.send(UsersRpc.register, offContract({ email: 'x', name: 'n', password: 'short', role: 'admin' })));
    expect(invalid.code).toBe(ErrorCode.ValidationFailed);
    expect((invalid.details as Array<{ field: string }>).map((d) => d.field).sort()).toEqual(['email', 'password', 'role']);
  });

  it('cannot be promoted to admin through any RPC field', async () => {
    const profile = await register(uniqueEmail('sneaky'));
    const error = await failure(suite.rpc.send(UsersRpc.updateProfile, offContract({ userId: profile.id, role: 'admin' })));
    expect(error.code).toBe(ErrorCode.ValidationFailed);
    expect((await suite.rpc.send(UsersRpc.getProfile, { userId: profile.id })).role).toBe('customer');
  });
});
