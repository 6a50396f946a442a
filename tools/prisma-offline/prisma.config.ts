// Prisma 6.19 config for offline migration work: the experimental WASM schema
// engine (no native binary to download) talking to PostgreSQL through a driver adapter.
import { defineConfig } from 'prisma/config'
import { offlinePg } from './offline-pg.mjs'

const url = process.env.USERS_MIGRATION_SHADOW_URL
if (!url) throw new Error('USERS_MIGRATION_SHADOW_URL is not set')

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => offlinePg(url),
})
