-- What the role that web, worker and beat connect as may do (docker-compose.yml): read and
-- write the app's tables, own none of them. Only a table's owner may TRUNCATE it without the
-- privilege, ALTER it or disable its triggers, so the owner stays with the one-shot migrate,
-- which runs this file after every migration (`python manage.py grant_app_role`, which also
-- creates the role). With psql, once the role exists:
--   psql -v app_role=accelerator_app -f deploy/app_role.sql
-- :"app_role" is the role's name, quoted as an identifier.

-- Start again from nothing, so a privilege granted by hand does not outlive this file.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM :"app_role";
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM :"app_role";

GRANT USAGE ON SCHEMA public TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";

-- The decision record is append-only: INSERT and SELECT, nothing else (its triggers refuse
-- UPDATE, DELETE and TRUNCATE too; this role cannot disable them).
REVOKE UPDATE, DELETE ON selection_decisionrecord FROM :"app_role";

-- Only migrate records migrations.
REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM :"app_role";
