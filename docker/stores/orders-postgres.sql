-- Generated from manifest.ts by `npm run generate`; do not edit.
-- Runs once when the volume is created: the orders service's own role owns only its database.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orders_svc') THEN
    CREATE ROLE orders_svc LOGIN PASSWORD 'orders_svc_dev_password';
  END IF;
END $$;
SELECT 'CREATE DATABASE orders OWNER orders_svc' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'orders')\gexec
REVOKE ALL ON DATABASE orders FROM PUBLIC;
-- Service roles reach only their own database: not the maintenance ones either.
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE orders TO orders_svc;
