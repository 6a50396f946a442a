-- Erasing a user (right to be forgotten). No personal data here: ids, who asked (self/admin),
-- times, and what each service reports it erased.

-- The account becomes a tombstone: identity removed, id kept (the ledger's amounts stay for accounting).
ALTER TABLE "users" ADD COLUMN "erased_at" TIMESTAMPTZ(3);
-- and its wallet is closed: no more credits or debits (refunds of earlier debits still go through).
ALTER TABLE "wallets" ADD COLUMN "closed_at" TIMESTAMPTZ(3);

-- The erasure log: one row per erased user. Not tied to "users" by a foreign key, so it can be
-- carried over a restore of an older backup and applied again (docs/operations.md).
CREATE TABLE "erasures" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "requested_by" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "erasures_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "erasures_user_id_key" ON "erasures"("user_id");

-- Each service's part of an erasure: pending until its UserErased.v1 arrives; retried at retry_at.
CREATE TABLE "erasure_steps" (
    "erasure_id" UUID NOT NULL,
    "service" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "counts" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "retry_at" TIMESTAMPTZ(3),
    "answered_at" TIMESTAMPTZ(3),

    CONSTRAINT "erasure_steps_pkey" PRIMARY KEY ("erasure_id", "service")
);
CREATE INDEX "erasure_steps_status_retry_at_idx" ON "erasure_steps"("status", "retry_at");

ALTER TABLE "erasure_steps" ADD CONSTRAINT "erasure_steps_erasure_id_fkey" FOREIGN KEY ("erasure_id") REFERENCES "erasures"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "erasure_steps" ADD CONSTRAINT "erasure_steps_status_check" CHECK ("status" IN ('pending', 'done'));
