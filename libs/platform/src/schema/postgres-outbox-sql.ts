// Imports nothing: `npm run new:service` loads it directly with Node's type stripping.

/** The channel the outbox trigger NOTIFYs at commit (one per service's database). */
export const outboxChannel = (service: string): string => `${service}_outbox`;

/**
 * The outbox and inbox of a PostgreSQL service (what `PostgresOutbox` and `PostgresInbox` use), as
 * the statements of its init migration: the tables and indexes as Prisma writes them for the
 * `OutboxEvent` and `Inbox` models, and the trigger that wakes the relay at commit (hand-written:
 * Prisma's schema language cannot express it). `npm run new:service` writes them into a new
 * service's first migration; a unit test checks that every PostgreSQL service's migrations hold
 * them, to the letter (an applied migration is never edited: its checksum is recorded).
 */
export function postgresOutboxInboxSql(service: string): { tables: string; indexes: string; trigger: string } {
  return {
    tables: `-- CreateTable
CREATE TABLE "outbox" (
    "seq" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "inbox" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("consumer","event_id")
);
`,
    indexes: `-- CreateIndex
CREATE UNIQUE INDEX "outbox_id_key" ON "outbox"("id");

-- CreateIndex
CREATE INDEX "outbox_published_at_seq_idx" ON "outbox"("published_at", "seq");
`,
    trigger: `-- and the outbox relay is woken at commit time (NOTIFY is delivered when the transaction commits).
CREATE FUNCTION "outbox_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('${outboxChannel(service)}', '');
  RETURN NULL;
END;
$$;
CREATE TRIGGER "outbox_notify_after_insert" AFTER INSERT ON "outbox"
  FOR EACH STATEMENT EXECUTE FUNCTION "outbox_notify"();
`,
  };
}

/** The Prisma models of the same tables, for a service's schema.prisma. */
export const POSTGRES_OUTBOX_INBOX_MODELS = `/// Transactional outbox: written in the same transaction as the change it announces.
model OutboxEvent {
  seq         BigInt    @id @default(autoincrement())
  id          String    @unique @db.Uuid
  type        String
  envelope    Json
  createdAt   DateTime  @default(now()) @map("created_at") @db.Timestamptz(3)
  publishedAt DateTime? @map("published_at") @db.Timestamptz(3)

  @@index([publishedAt, seq])
  @@map("outbox")
}

/// Events this service's consumers have already handled (idempotent consumption).
model InboxEntry {
  consumer    String
  eventId     String   @map("event_id") @db.Uuid
  processedAt DateTime @default(now()) @map("processed_at") @db.Timestamptz(3)

  @@id([consumer, eventId])
  @@map("inbox")
}
`;
