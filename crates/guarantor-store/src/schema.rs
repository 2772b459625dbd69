//! The schema, written once for every SQL store: each step of it in the dialect's types. Append-only: a step,
//! once released, is never edited (a new column or table is a new step); stores count the steps applied.

/// The type names a dialect gives the schema's columns.
pub(crate) struct Dialect {
    /// A 64-bit integer.
    pub int: &'static str,
    /// A double-precision float.
    pub real: &'static str,
    /// A boolean.
    pub boolean: &'static str,
    /// An integer key that counts up by itself.
    pub serial: &'static str,
}

/// SQLite's.
pub(crate) const SQLITE: Dialect = Dialect {
    int: "INTEGER",
    real: "REAL",
    boolean: "INTEGER",
    serial: "INTEGER PRIMARY KEY AUTOINCREMENT",
};

/// PostgreSQL's.
pub(crate) const POSTGRES: Dialect = Dialect {
    int: "BIGINT",
    real: "DOUBLE PRECISION",
    boolean: "BOOLEAN",
    serial: "BIGSERIAL PRIMARY KEY",
};

/// The steps, in `d`'s types.
pub(crate) fn migrations(d: &Dialect) -> Vec<String> {
    let steps: [&str; 6] = [
        // 1: reports and rejected rows.
        "CREATE TABLE report (
        source TEXT NOT NULL,
        id TEXT NOT NULL,
        source_kind TEXT NOT NULL,
        time_s {int} NOT NULL,
        time_nanos {int} NOT NULL,
        time_precision_hours {real} NOT NULL,
        lon {real} NOT NULL,
        lat {real} NOT NULL,
        place_precision_km {real} NOT NULL,
        kind TEXT NOT NULL,
        target TEXT,
        count {int} NOT NULL,
        text TEXT NOT NULL,
        file TEXT NOT NULL,
        PRIMARY KEY (source, id)
    );
    CREATE INDEX report_time ON report (time_s);
    CREATE TABLE reject (
        file TEXT NOT NULL,
        line {int} NOT NULL,
        reason TEXT NOT NULL,
        row TEXT NOT NULL,
        PRIMARY KEY (file, line, row)
    );",
        // 2: accounts, tokens, sessions, scenario versions, the audit log (times in microseconds since 1970).
        "CREATE TABLE app_user (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        nation TEXT,
        password_hash TEXT NOT NULL,
        created_us {int} NOT NULL,
        disabled {boolean} NOT NULL
    );
    CREATE TABLE api_token (
        hash TEXT PRIMARY KEY,
        user_name TEXT NOT NULL REFERENCES app_user (name),
        label TEXT NOT NULL
    );
    CREATE TABLE session (
        id_hash TEXT PRIMARY KEY,
        user_name TEXT NOT NULL REFERENCES app_user (name),
        csrf TEXT NOT NULL,
        expires_us {int} NOT NULL
    );
    CREATE TABLE scenario_version (
        name TEXT NOT NULL,
        version {int} NOT NULL,
        author TEXT NOT NULL,
        at_us {int} NOT NULL,
        note TEXT NOT NULL,
        PRIMARY KEY (name, version)
    );
    CREATE TABLE scenario_file (
        name TEXT NOT NULL,
        version {int} NOT NULL,
        path TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (name, version, path),
        FOREIGN KEY (name, version) REFERENCES scenario_version (name, version)
    );
    CREATE TABLE audit (
        seq {serial},
        at_us {int} NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        before TEXT,
        after TEXT
    );",
        // 3: the plan each scenario has published (which version, in which world state).
        "CREATE TABLE published (
        name TEXT PRIMARY KEY,
        version {int} NOT NULL,
        world TEXT NOT NULL,
        by_user TEXT NOT NULL,
        at_us {int} NOT NULL
    );",
        // 4: the earlier versions of revised reports (a source's export read again with a row changed), each with
        // its revision number and when it was replaced (microseconds since 1970).
        "CREATE TABLE report_version (
        source TEXT NOT NULL,
        id TEXT NOT NULL,
        revision {int} NOT NULL,
        replaced_at_us {int} NOT NULL,
        source_kind TEXT NOT NULL,
        time_s {int} NOT NULL,
        time_nanos {int} NOT NULL,
        time_precision_hours {real} NOT NULL,
        lon {real} NOT NULL,
        lat {real} NOT NULL,
        place_precision_km {real} NOT NULL,
        kind TEXT NOT NULL,
        target TEXT,
        count {int} NOT NULL,
        text TEXT NOT NULL,
        file TEXT NOT NULL,
        PRIMARY KEY (source, id, revision)
    );",
        // 5: the parties a report names and its source links (a line each; empty: none), in reports and their
        // earlier versions.
        "ALTER TABLE report ADD COLUMN parties TEXT NOT NULL DEFAULT '';
    ALTER TABLE report ADD COLUMN links TEXT NOT NULL DEFAULT '';
    ALTER TABLE report_version ADD COLUMN parties TEXT NOT NULL DEFAULT '';
    ALTER TABLE report_version ADD COLUMN links TEXT NOT NULL DEFAULT '';",
        // 6: incidents kept with their ids (the span of their reports' times, microseconds since 1970), which
        // report is in which (`stale`: its incident must be formed again, a member was revised), what changed,
        // and the highest id ever given.
        "CREATE TABLE incident (
        id {int} PRIMARY KEY,
        first_us {int} NOT NULL,
        last_us {int} NOT NULL
    );
    CREATE INDEX incident_span ON incident (first_us, last_us);
    CREATE TABLE incident_report (
        source TEXT NOT NULL,
        id TEXT NOT NULL,
        incident {int} NOT NULL,
        stale {int} NOT NULL DEFAULT 0,
        PRIMARY KEY (source, id)
    );
    CREATE INDEX incident_report_incident ON incident_report (incident);
    CREATE TABLE incident_change (
        seq {serial},
        at_us {int} NOT NULL,
        incident {int} NOT NULL,
        change TEXT NOT NULL
    );
    CREATE TABLE incident_next (one {int} PRIMARY KEY, next {int} NOT NULL);
    INSERT INTO incident_next (one, next) VALUES (1, 1);",
    ];
    steps
        .iter()
        .map(|s| {
            s.replace("{int}", d.int)
                .replace("{real}", d.real)
                .replace("{boolean}", d.boolean)
                .replace("{serial}", d.serial)
        })
        .collect()
}
