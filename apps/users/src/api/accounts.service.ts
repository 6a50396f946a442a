import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import {
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  type AccessTokenClaims,
  type LoginReply,
  type LoginRequest,
  type ManyUsersReply,
  type PublicUser,
  type RegisterRequest,
  type UpdateProfileRequest,
  type UserProfile,
} from '@polystore/contracts';
import { RpcError } from '@polystore/platform';
import { v7 as uuidv7 } from 'uuid';
import { USERS_CONFIG, type UsersConfig } from '../config.js';
import { hashPassword, verifyPassword } from '../domain/password.js';
import { toProfile, toPublicUser } from '../domain/user.js';
import { userProfileUpdated, userRegistered } from '../events/users-events.js';
import { AccountsStore } from '../store/accounts.store.js';

/** Registration, login and profiles. */
@Injectable()
export class AccountsService {
  /** Verified against when an email is unknown, so a login takes as long either way. */
  private readonly dummyHash: Promise<string>;

  constructor(
    @Inject(AccountsStore) private readonly accounts: AccountsStore,
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(USERS_CONFIG) private readonly config: UsersConfig,
  ) {
    this.dummyHash = hashPassword('not-a-real-password', this.cost());
  }

  private cost() {
    return { N: this.config.scryptN, r: 8, p: 1 };
  }

  async register(request: RegisterRequest): Promise<UserProfile> {
    const passwordHash = await hashPassword(request.password, this.cost());
    const user = await this.accounts.create({ id: uuidv7(), email: request.email, name: request.name, passwordHash }, userRegistered);
    return toProfile(user);
  }

  async login(request: LoginRequest): Promise<LoginReply> {
    const user = await this.accounts.findByEmail(request.email);
    const valid = await verifyPassword(request.password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !valid) throw RpcError.unauthenticated('email or password is wrong');
    const claims: AccessTokenClaims = { sub: user.id, role: user.role };
    const accessToken = await this.jwt.signAsync(claims, {
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      expiresIn: this.config.jwtTtlSeconds,
    });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.jwtTtlSeconds, user: toProfile(user) };
  }

  async profile(userId: string): Promise<UserProfile> {
    const user = await this.accounts.findById(userId);
    if (!user) throw RpcError.notFound('user', { userId });
    return toProfile(user);
  }

  async getMany(userIds: string[]): Promise<ManyUsersReply> {
    const ids = [...new Set(userIds.map((id) => id.toLowerCase()))];
    return { users: await this.accounts.findContacts(ids) };
  }

  async publicUser(userId: string): Promise<PublicUser> {
    const user = await this.accounts.findById(userId);
    if (!user) throw RpcError.notFound('user', { userId });
    return toPublicUser(user);
  }

  async updateProfile(request: UpdateProfileRequest): Promise<UserProfile> {
    const { userId, ...changes } = request;
    if (changes.name === undefined && changes.email === undefined) {
      throw RpcError.validation('nothing to change: give name and/or email', [{ field: 'name', problems: ['name or email is required'] }]);
    }
    const user = await this.accounts.update(userId, changes, userProfileUpdated);
    return toProfile(user);
  }
}
