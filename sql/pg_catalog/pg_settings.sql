-- pg_settings: the session's parameters as SHOW sees them. The session puts them in the DuckDB
-- variable lakegate_settings (a MAP of lower-case name → value) on each of its connections; the
-- server-wide ones every client may ask for (server_version_num, …) are in lg_default_settings,
-- which install.rs writes from the session's defaults (src/session/settings.rs).
-- https://www.postgresql.org/docs/16/view-pg-settings.html
CREATE VIEW lakegate.pg.pg_settings AS
WITH session AS (
    SELECT e.key AS name, e.value AS setting
    FROM (SELECT unnest(map_entries(getvariable('lakegate_settings'))) AS e)
),
merged AS (
    SELECT name, setting FROM session
    UNION ALL
    SELECT d.name, d.setting FROM lakegate.pg.lg_default_settings d
    WHERE d.name NOT IN (SELECT name FROM session)
)
SELECT coalesce(d.display_name, m.name) AS name, m.setting, CAST(NULL AS VARCHAR) AS unit,
       'lakegate' AS category, '' AS short_desc, CAST(NULL AS VARCHAR) AS extra_desc,
       CASE WHEN d.read_only THEN 'internal' ELSE 'user' END AS context, 'string' AS vartype,
       'session' AS source, CAST(NULL AS VARCHAR) AS min_val, CAST(NULL AS VARCHAR) AS max_val,
       CAST(NULL AS VARCHAR[]) AS enumvals, d.setting AS boot_val, d.setting AS reset_val,
       CAST(NULL AS VARCHAR) AS sourcefile, CAST(NULL AS INTEGER) AS sourceline, false AS pending_restart
FROM merged m
LEFT JOIN lakegate.pg.lg_default_settings d ON d.name = m.name;
