-- Erasing a user is the one rewrite order_events allows: the erasure replaces the user's id in
-- their orders' events with a stand-in, inside a transaction that says so (SET LOCAL
-- orders.erasure = 'on'). Every other UPDATE, and every DELETE or TRUNCATE, is still refused.
CREATE OR REPLACE FUNCTION "order_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('orders.erasure', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'order_events is append-only (% refused)', TG_OP;
END;
$$;
