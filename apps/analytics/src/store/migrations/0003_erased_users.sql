-- Erasing a user: the users analytics has erased, so that an event about one of them that arrives
-- later (a stream read again, a producer that lagged) is not stored. Holds no user id, only its
-- SHA-256 (hex, of the lower-case id): enough to recognise the id when it comes again.
CREATE TABLE IF NOT EXISTS analytics.erased_users
(
    user_hash   FixedString(64),
    erased_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY user_hash;
