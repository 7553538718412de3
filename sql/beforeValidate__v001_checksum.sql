-- V001's TimescaleDB guard was fixed after V001 shipped (see that file). Databases migrated before still record
-- the first text's checksum (716322816), and Flyway would refuse to start on them. Both texts do the same wherever
-- the first one ran, so that checksum, and only that exact value, is moved to the fixed text's (-1478634605)
-- before Flyway validates; any other mismatch of V001 still fails validation (routes.it.MigrationChecksumIT).
-- A Flyway callback: it runs before every validation, the one of each migrate included. A fresh database has no
-- history table yet: nothing to do.
DO $$
DECLARE
    history TEXT := format('%I.%I', '${flyway:defaultSchema}', '${flyway:table}');
BEGIN
    IF to_regclass(history) IS NOT NULL THEN
        EXECUTE format('UPDATE %s SET checksum = -1478634605 WHERE version = ''001'' AND checksum = 716322816', history);
    END IF;
END
$$;
