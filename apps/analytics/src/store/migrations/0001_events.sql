-- Every event lands in events_raw, whatever its type; typed tables for what reports read are
-- filled from it by materialized views. Tables are ReplacingMergeTree keyed by event id, so a
-- redelivered event collapses into one row; reports read them with FINAL (correct before merges).
-- Columns derived from `data` rely on the contract checks ingestion makes before inserting; the
-- views still convert leniently (…OrZero) so that no row can ever make a batch fail.

CREATE TABLE IF NOT EXISTS analytics.events_raw
(
    event_id    UUID,
    type        LowCardinality(String),
    version     UInt16,
    producer    LowCardinality(String),
    occurred_at DateTime64(3, 'UTC'),
    user_id     Nullable(UUID),
    data        String CODEC(ZSTD(1)),
    stream      LowCardinality(String),
    stream_seq  UInt64,
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (type, toDate(occurred_at), event_id);

-- Messages that failed their contract, with the reason; one row per stream message.
CREATE TABLE IF NOT EXISTS analytics.events_rejected
(
    stream      LowCardinality(String),
    subject     String,
    stream_seq  UInt64,
    event_id    String,
    type        String,
    reason      String,
    payload     String CODEC(ZSTD(1)),
    rejected_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY (stream, stream_seq, cityHash64(payload));

CREATE TABLE IF NOT EXISTS analytics.product_views
(
    event_id    UUID,
    occurred_at DateTime64(3, 'UTC'),
    product_id  UUID,
    user_id     Nullable(UUID)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (toDate(occurred_at), product_id, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.product_views_mv TO analytics.product_views AS
SELECT event_id, occurred_at, toUUIDOrZero(JSONExtractString(data, 'productId')) AS product_id, user_id
FROM analytics.events_raw
WHERE type = 'ProductViewed' AND version = 1;

CREATE TABLE IF NOT EXISTS analytics.cart_additions
(
    event_id         UUID,
    occurred_at      DateTime64(3, 'UTC'),
    user_id          UUID,
    product_id       UUID,
    quantity         UInt32,
    unit_price_cents Int64,
    currency         LowCardinality(String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (toDate(occurred_at), product_id, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.cart_additions_mv TO analytics.cart_additions AS
SELECT
    event_id,
    occurred_at,
    toUUIDOrZero(JSONExtractString(data, 'userId')) AS user_id,
    toUUIDOrZero(JSONExtractString(data, 'productId')) AS product_id,
    toUInt32(JSONExtractUInt(data, 'quantity')) AS quantity,
    JSONExtractInt(data, 'unitPriceCents') AS unit_price_cents,
    JSONExtractString(data, 'currency') AS currency
FROM analytics.events_raw
WHERE type = 'CartItemAdded' AND version = 1;

CREATE TABLE IF NOT EXISTS analytics.checkouts
(
    event_id    UUID,
    occurred_at DateTime64(3, 'UTC'),
    checkout_id String,
    user_id     UUID,
    status      Enum8('completed' = 1, 'failed' = 2),
    total_cents Int64,
    currency    LowCardinality(String),
    units       UInt64,
    reason_code LowCardinality(String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (toDate(occurred_at), event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.checkouts_mv TO analytics.checkouts AS
SELECT
    event_id,
    occurred_at,
    JSONExtractString(data, 'checkoutId') AS checkout_id,
    toUUIDOrZero(JSONExtractString(data, 'userId')) AS user_id,
    if(type = 'CheckoutCompleted', 'completed', 'failed') AS status,
    JSONExtractInt(data, 'totalCents') AS total_cents,
    JSONExtractString(data, 'currency') AS currency,
    arraySum(arrayMap(l -> JSONExtractUInt(l, 'quantity'), JSONExtractArrayRaw(data, 'lines'))) AS units,
    JSONExtractString(data, 'reasonCode') AS reason_code
FROM analytics.events_raw
WHERE type IN ('CheckoutCompleted', 'CheckoutFailed') AND version = 1;

-- One row per line of a completed checkout: units and revenue per product.
CREATE TABLE IF NOT EXISTS analytics.order_lines
(
    event_id         UUID,
    line_no          UInt32,
    occurred_at      DateTime64(3, 'UTC'),
    checkout_id      String,
    user_id          UUID,
    product_id       UUID,
    name             String,
    quantity         UInt32,
    line_total_cents Int64,
    currency         LowCardinality(String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (toDate(occurred_at), product_id, event_id, line_no);

CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.order_lines_mv TO analytics.order_lines AS
SELECT
    event_id,
    line_no,
    occurred_at,
    checkout_id,
    user_id,
    toUUIDOrZero(JSONExtractString(line, 'productId')) AS product_id,
    JSONExtractString(line, 'name') AS name,
    toUInt32(JSONExtractUInt(line, 'quantity')) AS quantity,
    JSONExtractInt(line, 'lineTotalCents') AS line_total_cents,
    currency
FROM
(
    SELECT
        event_id,
        occurred_at,
        JSONExtractString(data, 'checkoutId') AS checkout_id,
        toUUIDOrZero(JSONExtractString(data, 'userId')) AS user_id,
        JSONExtractString(data, 'currency') AS currency,
        JSONExtractArrayRaw(data, 'lines') AS lines
    FROM analytics.events_raw
    WHERE type = 'CheckoutCompleted' AND version = 1
)
ARRAY JOIN lines AS line, arrayEnumerate(lines) AS line_no;

-- The latest name and categories of each product, from products' events (revenue per category).
CREATE TABLE IF NOT EXISTS analytics.product_catalog
(
    product_id      UUID,
    product_version UInt64,
    name            String,
    categories      Array(String),
    occurred_at     DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(product_version)
ORDER BY product_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.product_catalog_mv TO analytics.product_catalog AS
SELECT
    toUUIDOrZero(JSONExtractString(data, 'productId')) AS product_id,
    JSONExtractUInt(data, 'version') AS product_version,
    JSONExtractString(data, 'name') AS name,
    JSONExtract(data, 'categories', 'Array(String)') AS categories,
    occurred_at
FROM analytics.events_raw
WHERE type IN ('ProductCreated', 'ProductUpdated') AND version = 1;

-- Events that name a user, by user: daily active users and a user's own activity.
CREATE TABLE IF NOT EXISTS analytics.user_events
(
    user_id     UUID,
    occurred_at DateTime64(3, 'UTC'),
    event_id    UUID,
    type        LowCardinality(String),
    version     UInt16,
    producer    LowCardinality(String),
    data        String CODEC(ZSTD(1))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (user_id, occurred_at, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.user_events_mv TO analytics.user_events AS
SELECT user_id, occurred_at, event_id, type, version, producer, data
FROM analytics.events_raw
WHERE user_id IS NOT NULL;
