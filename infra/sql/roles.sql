-- Roles for a Leeway database on PostgreSQL. Run once as a superuser (or the Azure admin),
-- connected to the `postgres` database; replace the passwords (or use Entra authentication).
--
--   leeway_owner  owns the schema; runs the migrations (DATABASE_MIGRATION_URL)
--   leeway_app    what the server runs as (DATABASE_URL): not the owner, not a superuser, so it
--                 can neither disable the audit triggers nor alter or drop tables
--
-- After each migration run, Leeway itself grants leeway_app read/write on the domain tables and
-- only SELECT/INSERT on audit_event and audit_checkpoint (see server/src/store/data-source.ts).

CREATE ROLE leeway_owner LOGIN PASSWORD 'change-me-owner' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE ROLE leeway_app LOGIN PASSWORD 'change-me-app' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
CREATE DATABASE leeway OWNER leeway_owner;

\connect leeway
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO leeway_app;
GRANT ALL ON SCHEMA public TO leeway_owner;
-- Tables the owner creates later are readable and writable by the app role by default; the
-- migration runner then takes UPDATE, DELETE and TRUNCATE on the audit tables away again.
ALTER DEFAULT PRIVILEGES FOR ROLE leeway_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO leeway_app;
ALTER DEFAULT PRIVILEGES FOR ROLE leeway_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO leeway_app;
