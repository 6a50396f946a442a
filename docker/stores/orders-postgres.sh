# Generated from manifest.ts by `npm run generate`; do not edit.
# Runs once when the volume is created (sourced by the image's entrypoint): the orders service's
# own role owns only its database. Its password comes from the container's environment (OWNER_PASSWORD).
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v owner_password="$OWNER_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', 'orders_svc', :'owner_password') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orders_svc')\gexec
SELECT 'CREATE DATABASE orders OWNER orders_svc' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'orders')\gexec
REVOKE ALL ON DATABASE orders FROM PUBLIC;
-- Service roles reach only their own database: not the maintenance ones either.
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE orders TO orders_svc;
SQL
