-- Orders whose cancellation completed (orders' OrderCancelled): the funnel's cancellations. Keyed
-- by event id like the other typed tables, so a redelivered event counts once.

CREATE TABLE IF NOT EXISTS analytics.order_cancellations
(
    event_id    UUID,
    occurred_at DateTime64(3, 'UTC'),
    order_id    UUID,
    user_id     UUID,
    total_cents Int64,
    currency    LowCardinality(String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (toDate(occurred_at), event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.order_cancellations_mv TO analytics.order_cancellations AS
SELECT
    event_id,
    occurred_at,
    toUUIDOrZero(JSONExtractString(data, 'orderId')) AS order_id,
    toUUIDOrZero(JSONExtractString(data, 'userId')) AS user_id,
    JSONExtractInt(data, 'totalCents') AS total_cents,
    JSONExtractString(data, 'currency') AS currency
FROM analytics.events_raw
WHERE type = 'OrderCancelled' AND version = 1;
