using Npgsql;

namespace Steep.Persistence.Postgres;

/// <summary>
/// The registry's tables in one PostgreSQL schema, as a list of migrations applied in order and recorded in
/// <c>schema_version</c> (in that schema).
/// </summary>
internal static class PostgresSchema
{
    // The first key of the two-key advisory lock: "Stee" in ASCII, so that the lock is recognisable in pg_locks; the
    // second key is a hash of the schema name, so that registries in different schemas migrate independently.
    private const int LockClass = 0x53746565;

    // Migration i brings the schema from version i to i + 1. Never edit a released migration: append a new one.
    // "{s}" stands for the quoted schema name; the statements run with search_path set to that schema, so only code
    // that may run under another search_path (the trigger function) names it.
    // JSON is stored as json, not jsonb: the store never looks inside, json keeps the text as written (jsonb would
    // reorder keys, and System.Text.Json expects a type discriminator first), and it costs no conversion.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE submissions (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- insertion order: listings are newest first
            id text NOT NULL UNIQUE,
            status text NOT NULL,
            start_time timestamptz,
            end_time timestamptz,
            required_capabilities text[] NOT NULL,
            workflow json,
            results json,                                         -- object: output variable id -> files
            error_message text,
            services json                                         -- the service metadata it was accepted with
        );
        CREATE INDEX submissions_status_seq ON submissions (status, seq);

        -- The journal position moves on every generator step; in its own narrow row it neither rewrites the workflow
        -- nor blocks readers of the submission.
        CREATE TABLE submission_journal (
            submission_id text PRIMARY KEY REFERENCES submissions (id),
            last_step bigint NOT NULL
        );

        -- No foreign key to submissions: a step's chains are inserted only after the journal row of their submission
        -- was advanced in the same transaction, which proves it exists, and the per-row check would cost more than
        -- the insert itself on a large step.
        CREATE TABLE process_chains (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- registration order across the registry
            id text NOT NULL UNIQUE,
            submission_id text NOT NULL,
            status text NOT NULL,
            priority integer,
            required_capabilities text[] NOT NULL,
            executables json NOT NULL,
            start_time timestamptz,
            end_time timestamptz,
            results json,
            error_message text,
            agent_id text,
            run_number integer NOT NULL DEFAULT 0
        );
        CREATE INDEX process_chains_submission_seq ON process_chains (submission_id, seq);
        CREATE INDEX process_chains_submission_status_seq ON process_chains (submission_id, status, seq);
        CREATE INDEX process_chains_status_seq ON process_chains (status, seq);

        -- Chain counts per submission and status, kept in the same transaction as the change, so that the submission
        -- endpoints read five numbers instead of counting up to millions of index entries on every request. Inserts
        -- are counted once per step by CommitStepAsync (the only writer of chains; a per-row insert trigger would
        -- cost more than a large step's COPY), status changes by the trigger below.
        CREATE TABLE process_chain_counts (
            submission_id text NOT NULL,
            status text NOT NULL,
            n bigint NOT NULL,
            PRIMARY KEY (submission_id, status)
        );

        -- Both rows are locked in status order before they change: two chains of a submission changing status in
        -- opposite directions at once (RUNNING -> REGISTERED and REGISTERED -> RUNNING) would otherwise each hold one
        -- row and wait for the other's (a deadlock, detected only after deadlock_timeout).
        CREATE FUNCTION process_chains_count_status() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {s}.process_chain_counts (submission_id, status, n) VALUES (NEW.submission_id, NEW.status, 0)
                ON CONFLICT (submission_id, status) DO NOTHING;
            PERFORM 1 FROM {s}.process_chain_counts
                WHERE submission_id = NEW.submission_id AND status IN (OLD.status, NEW.status)
                ORDER BY status FOR UPDATE;
            UPDATE {s}.process_chain_counts SET n = n + CASE WHEN status = NEW.status THEN 1 ELSE -1 END
                WHERE submission_id = NEW.submission_id AND status IN (OLD.status, NEW.status);
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER process_chains_count_update AFTER UPDATE OF status ON process_chains
            FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION process_chains_count_status();

        CREATE TABLE generator_steps (
            submission_id text NOT NULL REFERENCES submissions (id),
            step bigint NOT NULL,
            input bytea NOT NULL,
            PRIMARY KEY (submission_id, step)
        );

        CREATE TABLE generator_checkpoints (
            submission_id text PRIMARY KEY REFERENCES submissions (id),
            step bigint NOT NULL,
            state bytea NOT NULL
        );
        """,
        // Steep 6: a submission's name and priority (from its workflow unless set) and its source, the workflow text
        // exactly as submitted. Submissions stored before take them from their workflows, as the store does on add
        // (listings and searches read the columns alone). That UPDATE came after the rest, the day the migration was
        // written, before any registry of version 1 held data outside tests.
        """
        ALTER TABLE submissions ADD COLUMN name text;
        ALTER TABLE submissions ADD COLUMN priority integer NOT NULL DEFAULT 0;
        ALTER TABLE submissions ADD COLUMN source text;
        UPDATE submissions SET name = workflow->>'name', priority = COALESCE((workflow->>'priority')::integer, 0)
            WHERE workflow IS NOT NULL;
        """,
        // Steep 6.5: every execution attempt of a chain is a run of its own. Chains that ran before this version keep
        // their last attempt as their only known run (run_number says how many there were; the earlier ones are lost).
        """
        CREATE TABLE process_chain_runs (
            chain_id text NOT NULL,
            run_number integer NOT NULL,
            agent_id text,
            start_time timestamptz,
            end_time timestamptz,
            status text NOT NULL,                                 -- RUNNING while it runs, then the chain's final status
            error_message text,
            PRIMARY KEY (chain_id, run_number)
        );
        INSERT INTO process_chain_runs (chain_id, run_number, agent_id, start_time, end_time, status, error_message)
            SELECT id, run_number, agent_id, start_time, end_time,
                   CASE WHEN status IN ('REGISTERED', 'PAUSED') THEN 'ERROR' ELSE status END,
                   CASE WHEN status IN ('REGISTERED', 'PAUSED') THEN NULL ELSE error_message END
            FROM process_chains WHERE run_number > 0;
        """,
        // Steep 6's search: trigram indexes (pg_trgm, a trusted extension: the database owner may create it) find any
        // part of an id, error message or capability with ILIKE; the extension goes to public (or stays where it is),
        // so that dropping one registry's schema never drops another's indexes with it. Times have btree indexes.
        """
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
        CREATE FUNCTION capability_text(text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string($1, ' ') $$;
        DO $$
        DECLARE
            ns text := (SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm');
        BEGIN
            EXECUTE format('CREATE INDEX process_chains_search_id ON {s}.process_chains USING gin (id %s.gin_trgm_ops)', ns);
            EXECUTE format('CREATE INDEX process_chains_search_error ON {s}.process_chains USING gin (error_message %s.gin_trgm_ops)', ns);
            EXECUTE format('CREATE INDEX process_chains_search_capabilities ON {s}.process_chains USING gin ({s}.capability_text(required_capabilities) %s.gin_trgm_ops)', ns);
        END
        $$;
        CREATE INDEX process_chains_start_time ON process_chains (start_time);
        CREATE INDEX process_chains_end_time ON process_chains (end_time);
        """,
        // Cluster mode: the tables and stored queries of Orleans' ADO.NET clustering and reminder providers
        // (Microsoft.Orleans.Clustering.AdoNet and .Reminders.AdoNet 10.4.2, invariant "Npgsql"), which ship no SQL.
        // See OrleansSchema for the contract they are written against.
        OrleansSchema.Migration,
        // Chain counts per statement instead of per row, in shards. A group commit changes many chains of a submission
        // in one UPDATE, which now moves each count row once (a row updated once per chain within one transaction piles
        // up versions that no one can prune until the commit, and every later look-up of the row walks them all). Each
        // server process (connection) counts into a shard of its own (its pid modulo 16): two silos committing changes
        // to the same submission at once do not wait for each other's count rows, as they would with one row per
        // status; readers add the shards up. Within a shard the rows are created (sorted) and locked in one order,
        // (submission, status). Transition tables do not go with a column list: an UPDATE that changes no status finds
        // no change and returns early.
        """
        DROP TRIGGER process_chains_count_update ON process_chains;
        DROP FUNCTION process_chains_count_status();
        ALTER TABLE process_chain_counts ADD COLUMN shard integer NOT NULL DEFAULT 0;
        ALTER TABLE process_chain_counts DROP CONSTRAINT process_chain_counts_pkey;
        ALTER TABLE process_chain_counts ADD PRIMARY KEY (submission_id, status, shard);
        CREATE FUNCTION process_chains_count_statuses() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            subs text[];
            statuses text[];
            deltas bigint[];
            my_shard integer := pg_backend_pid() % 16;
        BEGIN
            SELECT array_agg(d.submission_id ORDER BY d.submission_id, d.status), array_agg(d.status ORDER BY d.submission_id, d.status),
                   array_agg(d.n ORDER BY d.submission_id, d.status)
            INTO subs, statuses, deltas
            FROM (
                SELECT c.submission_id, c.status, SUM(c.n)::bigint AS n FROM (
                    SELECT nr.submission_id, nr.status, 1 AS n FROM new_rows nr JOIN old_rows o ON o.seq = nr.seq WHERE o.status IS DISTINCT FROM nr.status
                    UNION ALL
                    SELECT o.submission_id, o.status, -1 FROM new_rows nr JOIN old_rows o ON o.seq = nr.seq WHERE o.status IS DISTINCT FROM nr.status
                ) c GROUP BY c.submission_id, c.status
            ) d WHERE d.n <> 0;
            IF subs IS NULL THEN RETURN NULL; END IF;
            INSERT INTO {s}.process_chain_counts (submission_id, status, shard, n)
                SELECT u.s, u.st, my_shard, 0 FROM unnest(subs, statuses) AS u(s, st) ORDER BY u.s, u.st
                ON CONFLICT (submission_id, status, shard) DO NOTHING;
            PERFORM 1 FROM {s}.process_chain_counts c JOIN unnest(subs, statuses) AS u(s, st)
                ON c.submission_id = u.s AND c.status = u.st AND c.shard = my_shard
                ORDER BY c.submission_id, c.status FOR UPDATE OF c;
            UPDATE {s}.process_chain_counts c SET n = c.n + u.d
                FROM unnest(subs, statuses, deltas) AS u(s, st, d)
                WHERE c.submission_id = u.s AND c.status = u.st AND c.shard = my_shard;
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER process_chains_count_statuses AFTER UPDATE ON process_chains
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION process_chains_count_statuses();
        """,
    ];

    /// <summary>The version this code writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>
    /// Creates or upgrades the schema in one transaction. Safe when several processes open the same database at once:
    /// a transaction-scoped advisory lock makes them wait for each other, and the later ones find the work done.
    /// </summary>
    /// <param name="connection">An open connection to the database.</param>
    /// <param name="schema">The registry's schema (see <see cref="Quote"/>).</param>
    /// <param name="ct">Cancels the migration (nothing of it is kept).</param>
    /// <param name="targetVersion">The version to stop at: the current one unless a test builds a registry as an older
    /// version of Steep left it.</param>
    public static async Task MigrateAsync(NpgsqlConnection connection, string schema, CancellationToken ct, int? targetVersion = null)
    {
        int target = targetVersion ?? CurrentVersion;
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(target, CurrentVersion);
        var quoted = Quote(schema);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        // Taken before anything else, also before CREATE SCHEMA IF NOT EXISTS, which is not safe against a concurrent
        // creator (it may fail with a unique violation on pg_namespace).
        await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock({LockClass}, hashtext($1))", ct, schema).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, $"CREATE SCHEMA IF NOT EXISTS {quoted}", ct).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, $"SET LOCAL search_path TO {quoted}", ct).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, $"CREATE TABLE IF NOT EXISTS {quoted}.schema_version (version integer NOT NULL)", ct).ConfigureAwait(false);
        int version;
        await using (var read = new NpgsqlCommand($"SELECT MAX(version) FROM {quoted}.schema_version", connection, tx))
        {
            version = await read.ExecuteScalarAsync(ct).ConfigureAwait(false) is int v ? v : 0;
        }
        if (version > CurrentVersion)
            throw new NotSupportedException(
                $"The registry in schema '{schema}' was written by a newer version of Steep (schema {version}; this version knows up to {CurrentVersion}).");
        for (int i = version; i < target; i++)
        {
            await ExecuteAsync(connection, tx, Migrations[i].Replace("{s}", quoted, StringComparison.Ordinal), ct).ConfigureAwait(false);
            await ExecuteAsync(connection, tx, $"INSERT INTO {quoted}.schema_version (version) VALUES ({i + 1})", ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The schema name as a quoted identifier; only plain names are accepted, so quoting cannot be escaped.</summary>
    public static string Quote(string schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schema);
        if (schema.Length > 63 || !(char.IsAsciiLetterLower(schema[0]) || schema[0] == '_')
            || !schema.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            throw new ArgumentException(
                $"The schema name '{schema}' is not a plain PostgreSQL name (lower-case letters, digits and '_', at most 63 characters).", nameof(schema));
        return "\"" + schema + "\"";
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
