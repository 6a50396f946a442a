// Driver adapter for Prisma 6.19's WASM schema engine: @prisma/adapter-pg plus
// two fixes that offline migration diffing on PostgreSQL needs.
import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { ColumnTypeEnum } from '@prisma/driver-adapter-utils'
import { parseIntoClientConfig } from 'pg-connection-string'
import { PrismaPg } from '@prisma/adapter-pg'

// Fix 1: the engine's schema describer selects catalog columns of type `name`
// (oid 19) and `"char"` (oid 18), which adapter-pg refuses to decode
// (prisma/orm#27403). Their values arrive as strings: present `name` as text and
// `"char"` as a Character column (the describer reads e.g. pg_constraint.contype
// with get_expect_char, so text there panics the WASM engine on CHECK constraints).
const CHAR = 18
const NAME = 19
const TEXT = 25

async function connect(config) {
  const adapter = await new PrismaPg(config).connect()
  const { performIO, queryRaw } = adapter // adapter-pg's queryRaw = performIO + type mapping
  const charColumns = new WeakMap() // query -> indexes of its "char" columns
  adapter.performIO = async function (query) {
    const res = await performIO.call(this, query) // an array for multi-statement scripts
    const chars = []
    res.fields?.forEach((f, i) => {
      if (f.dataTypeID === CHAR) chars.push(i)
      if (f.dataTypeID === CHAR || f.dataTypeID === NAME) f.dataTypeID = TEXT
    })
    charColumns.set(query, chars)
    return res
  }
  adapter.queryRaw = async function (query) {
    const out = await queryRaw.call(this, query)
    for (const i of charColumns.get(query) ?? []) out.columnTypes[i] = ColumnTypeEnum.Character
    return out
  }
  return adapter
}

/** url: PostgreSQL URL of a role allowed to CREATE DATABASE; only shadow databases are written. */
export function offlinePg(url) {
  const config = { ...parseIntoClientConfig(url), max: 2 }
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => connect(config),
    // Fix 2: adapter-pg's own connectToShadowDb spreads `database` next to a
    // connectionString (which wins, so the "shadow" would be the main database)
    // and drops the database before closing its pool (so DROP fails: in use).
    async connectToShadowDb() {
      const admin = await connect(config)
      const database = `prisma_shadow_${randomUUID().replaceAll('-', '')}`
      await admin.executeScript(`CREATE DATABASE "${database}"`)
      // The engine does not always dispose the shadow adapter when it fails (e.g. on
      // a JS error or a WASM panic): log the name so the caller can drop it after.
      if (process.env.PRISMA_OFFLINE_SHADOW_LOG) appendFileSync(process.env.PRISMA_OFFLINE_SHADOW_LOG, `${database}\n`)
      const shadow = await connect({ ...config, database })
      const closeShadow = shadow.dispose.bind(shadow)
      shadow.dispose = async () => {
        await closeShadow()
        await admin.executeScript(`DROP DATABASE IF EXISTS "${database}"`)
        await admin.dispose()
      }
      return shadow
    },
  }
}

/** Drops leftover shadow databases (see PRISMA_OFFLINE_SHADOW_LOG above). */
export async function dropShadowDatabases(url, names) {
  const admin = await connect(parseIntoClientConfig(url))
  try {
    for (const name of names) await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`)
  } finally {
    await admin.dispose()
  }
}
