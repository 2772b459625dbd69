//! The SQL both stores run, written once in SQLite's placeholders (`?1`, `?2`, …); the PostgreSQL store turns
//! them into its own (`$1`, …) and adds the row locks SQLite has no words for (`FOR SHARE`, `FOR UPDATE`: SQLite
//! writes one transaction at a time). What differs between the two databases stays in each store: the schema's
//! types, the report rows' upsert and the migrations.

pub(crate) const ADVANCE_INCIDENT_ID: &str =
    "UPDATE incident_next SET next = ?1 WHERE one = 1 AND next = ?2";
pub(crate) const AUDIT: &str = "SELECT seq, at_us, actor, action, target, before, after FROM audit WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2";
pub(crate) const DELETE_INCIDENT: &str = "DELETE FROM incident WHERE id = ?1";
pub(crate) const DELETE_INCIDENT_REPORTS: &str = "DELETE FROM incident_report WHERE incident = ?1";
pub(crate) const DELETE_SESSION: &str =
    "DELETE FROM session WHERE id_hash = ?1 OR expires_us <= ?2";
pub(crate) const DELETE_TOKENS: &str = "DELETE FROM api_token WHERE user_name = ?1 AND label = ?2";
pub(crate) const DELETE_USER_SESSIONS: &str = "DELETE FROM session WHERE user_name = ?1";
pub(crate) const DELETE_USER_TOKENS: &str = "DELETE FROM api_token WHERE user_name = ?1";
pub(crate) const IDS_OF_SOURCE: &str = "SELECT id FROM report WHERE source = ?1 ORDER BY id";
pub(crate) const INCIDENT_CHANGES: &str =
    "SELECT at_us, incident, change FROM incident_change ORDER BY seq";
pub(crate) const INCIDENT_GENERATION: &str = "SELECT COALESCE(MAX(seq), 0) FROM incident_change";
pub(crate) const LAST_VERSION: &str =
    "SELECT COALESCE(MAX(version), 0) FROM scenario_version WHERE name = ?1";
pub(crate) const LATEST_TIME: &str =
    "SELECT time_s, time_nanos FROM report ORDER BY time_s DESC, time_nanos DESC LIMIT 1";
pub(crate) const MAX_TIME_PRECISION: &str =
    "SELECT COALESCE(MAX(time_precision_hours), 0.0) FROM report";
pub(crate) const NEXT_INCIDENT_ID: &str = "SELECT next FROM incident_next WHERE one = 1";
pub(crate) const PASSWORD_HASH: &str = "SELECT password_hash FROM app_user WHERE name = ?1";
pub(crate) const PUBLISH: &str = "INSERT INTO published (name, version, world, by_user, at_us) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO UPDATE SET version = ?2, world = ?3, by_user = ?4, at_us = ?5";
pub(crate) const PUBLISHED: &str =
    "SELECT version, world, by_user, at_us FROM published WHERE name = ?1";
pub(crate) const PUT_AUDIT: &str = "INSERT INTO audit (at_us, actor, action, target, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
pub(crate) const PUT_FILE: &str =
    "INSERT INTO scenario_file (name, version, path, text) VALUES (?1, ?2, ?3, ?4)";
pub(crate) const PUT_INCIDENT: &str = "INSERT INTO incident (id, first_us, last_us) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO UPDATE SET first_us = excluded.first_us, last_us = excluded.last_us";
pub(crate) const PUT_INCIDENT_CHANGE: &str =
    "INSERT INTO incident_change (at_us, incident, change) VALUES (?1, ?2, ?3)";
pub(crate) const PUT_INCIDENT_REPORT: &str = "INSERT INTO incident_report (source, id, incident, stale) VALUES (?1, ?2, ?3, 0) ON CONFLICT (source, id) DO UPDATE SET incident = excluded.incident, stale = 0";
pub(crate) const PUT_REJECT: &str =
    "INSERT INTO reject (file, line, reason, row) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING";
pub(crate) const PUT_SESSION: &str = "INSERT INTO session (id_hash, user_name, csrf, expires_us) SELECT ?1, name, ?3, ?4 FROM app_user WHERE name = ?2 AND password_hash = ?5 AND NOT disabled";
pub(crate) const PUT_TOKEN: &str = "INSERT INTO api_token (hash, user_name, label) SELECT ?1, name, ?3 FROM app_user WHERE name = ?2 AND NOT disabled";
pub(crate) const PUT_USER: &str = "INSERT INTO app_user (name, role, nation, password_hash, created_us, disabled) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (name) DO UPDATE SET role = ?2, nation = ?3, password_hash = ?4, disabled = ?6";
pub(crate) const PUT_VERSION: &str =
    "INSERT INTO scenario_version (name, version, author, at_us, note) VALUES (?1, ?2, ?3, ?4, ?5)";
pub(crate) const REJECTS: &str =
    "SELECT file, line, reason, row FROM reject ORDER BY file, line, row";
pub(crate) const REVISIONS: &str = "SELECT COUNT(*) FROM report_version";
pub(crate) const SCENARIO_FILES: &str =
    "SELECT path, text FROM scenario_file WHERE name = ?1 AND version = ?2 ORDER BY path";
pub(crate) const SCENARIO_NAMES: &str = "SELECT DISTINCT name FROM scenario_version ORDER BY name";
pub(crate) const SCENARIO_VERSIONS: &str =
    "SELECT version, author, at_us, note FROM scenario_version WHERE name = ?1 ORDER BY version";
pub(crate) const SESSION: &str = "SELECT id_hash, user_name, csrf, expires_us FROM session WHERE id_hash = ?1 AND expires_us > ?2";
pub(crate) const TOKEN_USER: &str = "SELECT user_name FROM api_token WHERE hash = ?1";
pub(crate) const USER: &str =
    "SELECT name, role, nation, password_hash, created_us, disabled FROM app_user WHERE name = ?1";
pub(crate) const USERS: &str =
    "SELECT name, role, nation, password_hash, created_us, disabled FROM app_user ORDER BY name";
pub(crate) const VERSION_EXISTS: &str =
    "SELECT version FROM scenario_version WHERE name = ?1 AND version = ?2";
