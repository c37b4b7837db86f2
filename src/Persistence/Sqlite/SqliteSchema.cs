using Microsoft.Data.Sqlite;
using Steep.Core.Models;

namespace Steep.Persistence.Sqlite;

/// <summary>The SQLite schema as a list of migrations, applied in order and recorded in <c>schema_version</c>.</summary>
internal static class SqliteSchema
{
    // Migration i brings the schema from version i to i + 1. Never edit a released migration: append a new one.
    private static readonly string[] Migrations =
    [
        $"""
        CREATE TABLE submissions (
            seq INTEGER PRIMARY KEY,              -- insertion order: listings are newest first
            id TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL,
            start_time TEXT,                      -- ISO 8601 with offset ("O" format)
            end_time TEXT,
            required_capabilities TEXT NOT NULL,  -- JSON array
            workflow TEXT,                        -- JSON
            results TEXT,                         -- JSON object
            error_message TEXT,
            last_step INTEGER NOT NULL DEFAULT 0  -- last generator step committed (journal position)
        );
        CREATE INDEX submissions_status_seq ON submissions (status, seq);

        CREATE TABLE process_chains (
            seq INTEGER PRIMARY KEY,              -- registration order across the store
            id TEXT NOT NULL UNIQUE,
            submission_id TEXT NOT NULL REFERENCES submissions (id),
            status TEXT NOT NULL,
            priority INTEGER,
            required_capabilities TEXT NOT NULL,  -- JSON array
            executables TEXT NOT NULL,            -- JSON array
            start_time TEXT,
            end_time TEXT,
            results TEXT,                         -- JSON object
            error_message TEXT,
            agent_id TEXT,
            run_number INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX process_chains_submission_status ON process_chains (submission_id, status, seq);
        CREATE INDEX process_chains_status_seq ON process_chains (status, seq);

        -- Chain counts per submission and status, kept in the same transaction as the change, so that the submission
        -- endpoints read five numbers instead of counting up to millions of index entries on every request. Inserts are
        -- counted once per step by CommitStepAsync (the only writer of chains: a per-row insert trigger would force a
        -- statement journal and triple the cost of a large step); status changes by the trigger below.
        CREATE TABLE process_chain_counts (
            submission_id TEXT NOT NULL REFERENCES submissions (id),
            status TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (submission_id, status)
        ) WITHOUT ROWID;

        CREATE TRIGGER process_chains_count_update AFTER UPDATE OF status ON process_chains
        WHEN old.status IS NOT new.status
        BEGIN
            UPDATE process_chain_counts SET n = n - 1 WHERE submission_id = old.submission_id AND status = old.status;
            INSERT INTO process_chain_counts (submission_id, status, n) VALUES (new.submission_id, new.status, 1)
                ON CONFLICT (submission_id, status) DO UPDATE SET n = n + 1;
        END;

        CREATE TABLE generator_steps (
            submission_id TEXT NOT NULL REFERENCES submissions (id),
            step INTEGER NOT NULL,
            input BLOB NOT NULL,
            UNIQUE (submission_id, step)
        );

        CREATE TABLE generator_checkpoints (
            submission_id TEXT PRIMARY KEY REFERENCES submissions (id),
            step INTEGER NOT NULL,
            state BLOB NOT NULL
        );
        """,
        // The journal position moves on every generator step. In the submissions row it made SQLite rewrite the
        // whole row, workflow included (tens of KiB for a long list), once per finished chain.
        """
        CREATE TABLE submission_journal (
            submission_id TEXT PRIMARY KEY REFERENCES submissions (id),
            last_step INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO submission_journal (submission_id, last_step) SELECT id, last_step FROM submissions;
        """,
        // Steep 6: a submission's name and priority (from its workflow unless set) and its source, the workflow text
        // exactly as submitted. The source lives in a table of its own: listings and the frequent status updates of
        // the submissions row never read or rewrite it.
        """
        ALTER TABLE submissions ADD COLUMN name TEXT;
        ALTER TABLE submissions ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
        UPDATE submissions SET
            name = json_extract(workflow, '$.name'),
            priority = COALESCE(CAST(json_extract(workflow, '$.priority') AS INTEGER), 0)
        WHERE workflow IS NOT NULL AND json_valid(workflow);
        CREATE TABLE submission_sources (
            submission_id TEXT PRIMARY KEY REFERENCES submissions (id),
            source TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
        // The service metadata a submission was accepted with (JSON array, paths resolved), so that it can be resumed
        // or finished by another silo whatever service files that one was started with.
        """
        ALTER TABLE submissions ADD COLUMN services TEXT;
        """,
        // Steep 6.5: every execution attempt of a chain is a run of its own. Chains that ran before this version keep
        // their last attempt as their only known run (run_number says how many there were; the earlier ones are lost).
        $"""
        CREATE TABLE process_chain_runs (
            chain_id TEXT NOT NULL,
            run_number INTEGER NOT NULL,
            agent_id TEXT,
            start_time TEXT,
            end_time TEXT,
            status TEXT NOT NULL,                 -- RUNNING while it runs, then the chain's final status
            error_message TEXT,
            PRIMARY KEY (chain_id, run_number)
        ) WITHOUT ROWID;
        INSERT INTO process_chain_runs (chain_id, run_number, agent_id, start_time, end_time, status, error_message)
            SELECT id, run_number, agent_id, start_time, end_time,
                   CASE WHEN status IN ('{ProcessChainStatus.Registered}', '{StoreStatuses.Paused}') THEN '{ProcessChainStatus.Error}' ELSE status END,
                   CASE WHEN status IN ('{ProcessChainStatus.Registered}', '{StoreStatuses.Paused}') THEN NULL ELSE error_message END
            FROM process_chains WHERE run_number > 0;
        """,
        // Steep 6's search: a full-text index (trigram: any part of a word is found, case-insensitively) of what
        // searches compare in chains, keyed by the chain's seq. The chains table is too wide to scan (executables),
        // and its status changes do not touch this table: ids and capabilities never change, error messages rarely.
        """
        CREATE VIRTUAL TABLE process_chain_search USING fts5(id, required_capabilities, error_message, tokenize = 'trigram');
        INSERT INTO process_chain_search (rowid, id, required_capabilities, error_message)
            SELECT seq, id, (SELECT group_concat(value, ' ') FROM json_each(required_capabilities)), error_message FROM process_chains;
        CREATE INDEX process_chains_start_time ON process_chains (start_time);
        CREATE INDEX process_chains_end_time ON process_chains (end_time);
        -- how many chains hold each trigram: the search's estimated counts (count=estimate) read it instead of counting
        CREATE VIRTUAL TABLE process_chain_search_vocab USING fts5vocab(process_chain_search, 'row');
        """,
        // The chains of one submission in registration order (the dashboard's chain list, the graph) straight from an
        // index: with (submission_id, status, seq) alone SQLite sorted all of a submission's chains for every page.
        // IF NOT EXISTS: files downgraded by tests keep it.
        """
        CREATE INDEX IF NOT EXISTS process_chains_submission_seq ON process_chains (submission_id, seq);
        """,
    ];

    /// <summary>The version this code writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Creates or upgrades the schema in one transaction; safe when several stores open the same file at once.</summary>
    /// <param name="connection">An open connection to the database file.</param>
    /// <param name="targetVersion">The version to stop at: the current one unless a test builds a file as an older
    /// version of Steep left it.</param>
    public static void Migrate(SqliteConnection connection, int? targetVersion = null)
    {
        int target = targetVersion ?? CurrentVersion;
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(target, CurrentVersion);
        // BEGIN IMMEDIATE (the default of BeginTransaction) makes concurrent openers wait for each other instead of
        // both reading version 0 and both creating the tables.
        using var tx = connection.BeginTransaction();
        Execute(connection, tx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        using (var read = connection.CreateCommand())
        {
            read.Transaction = tx;
            read.CommandText = "SELECT MAX(version) FROM schema_version";
            var version = read.ExecuteScalar() is long v ? (int)v : 0;
            if (version > CurrentVersion)
                throw new NotSupportedException(
                    $"The database was written by a newer version of Steep (schema {version}; this version knows up to {CurrentVersion}).");
            for (int i = version; i < target; i++)
            {
                Execute(connection, tx, Migrations[i]);
                Execute(connection, tx, $"INSERT INTO schema_version (version) VALUES ({i + 1})");
            }
        }
        tx.Commit();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
