-- Generated from manifest.ts by `npm run generate`; do not edit.
-- Runs once when the volume is created: users's own role owns only users's database.
CREATE ROLE users_svc LOGIN PASSWORD 'users_svc_dev_password';
CREATE DATABASE users OWNER users_svc;
REVOKE ALL ON DATABASE users FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE users TO users_svc;
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;
