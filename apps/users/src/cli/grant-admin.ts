import { runMain } from '@polystore/platform';
import { loadUsersStoreConfig } from '../config.js';
import { AccountsStore } from '../store/accounts.store.js';
import { UsersDatabase } from '../store/users-database.js';

/**
 * `npm run users:grant-admin -- <email> [--revoke]`: the only way to make someone an admin.
 * It talks to the users database directly, so it needs USERS_DATABASE_URL; no HTTP route or RPC can do this.
 */
runMain(async () => {
  const args = process.argv.slice(2);
  const email = args
    .find((a) => !a.startsWith('--'))
    ?.trim()
    .toLowerCase();
  if (!email) throw new Error('usage: npm run users:grant-admin -- <email> [--revoke]');
  const role = args.includes('--revoke') ? 'customer' : 'admin';
  const config = loadUsersStoreConfig();
  const db = new UsersDatabase(config);
  try {
    const user = await new AccountsStore(db).setRole(email, role);
    if (!user) throw new Error(`no user with email ${email}`);
    console.log(`${email} is now ${role}; the role takes effect at their next login`);
  } finally {
    await db.onApplicationShutdown();
  }
});
