-- CreateTable
CREATE TABLE "order_events" (
    "seq" BIGSERIAL NOT NULL,
    "order_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "event_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "order_events_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "order_list" (
    "order_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "total_cents" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "item_count" INTEGER NOT NULL,
    "placed_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "order_list_pkey" PRIMARY KEY ("order_id")
);

-- CreateTable
CREATE TABLE "order_details" (
    "order_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "checkout_id" UUID NOT NULL,
    "lines" JSONB NOT NULL,
    "cancellation" JSONB,
    "timeline" JSONB NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "order_details_pkey" PRIMARY KEY ("order_id")
);

-- CreateTable
CREATE TABLE "customers" (
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customers_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
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

-- CreateIndex
CREATE UNIQUE INDEX "order_events_event_id_key" ON "order_events"("event_id");

-- CreateIndex
CREATE UNIQUE INDEX "order_events_order_id_version_key" ON "order_events"("order_id", "version");

-- CreateIndex
CREATE INDEX "order_list_user_id_placed_at_order_id_idx" ON "order_list"("user_id", "placed_at" DESC, "order_id" DESC);

-- CreateIndex
CREATE INDEX "order_list_placed_at_order_id_idx" ON "order_list"("placed_at" DESC, "order_id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "outbox_id_key" ON "outbox"("id");

-- CreateIndex
CREATE INDEX "outbox_published_at_seq_idx" ON "outbox"("published_at", "seq");

-- Hand-written (Prisma's schema language cannot express these):
-- the event store is append-only: history is never rewritten, only added to,
CREATE FUNCTION "order_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'order_events is append-only (% refused)', TG_OP;
END;
$$;
CREATE TRIGGER "order_events_no_update_or_delete" BEFORE UPDATE OR DELETE OR TRUNCATE ON "order_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "order_events_append_only"();
ALTER TABLE "order_events" ADD CONSTRAINT "order_events_version_positive" CHECK ("version" >= 1);

-- and the outbox relay is woken at commit time (NOTIFY is delivered when the transaction commits).
CREATE FUNCTION "outbox_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('orders_outbox', '');
  RETURN NULL;
END;
$$;
CREATE TRIGGER "outbox_notify_after_insert" AFTER INSERT ON "outbox"
  FOR EACH STATEMENT EXECUTE FUNCTION "outbox_notify"();
