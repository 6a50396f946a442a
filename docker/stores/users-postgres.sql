-- Generated from manifest.ts by `npm run generate`; do not edit.
-- Runs once when the volume is created: the users service's own role owns only its database.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'users_svc') THEN
    CREATE ROLE users_svc LOGIN PASSWORD 'users_svc_dev_password';
  END IF;
END $$;
SELECT 'CREATE DATABASE users OWNER users_svc' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'users')\gexec
REVOKE ALL ON DATABASE users FROM PUBLIC;
-- Service roles reach only their own database: not the maintenance ones either.
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE users TO users_svc;
