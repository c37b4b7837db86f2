namespace Steep.Persistence.Postgres;

/// <summary>
/// Steep's own schema for Orleans' ADO.NET membership (clustering) and reminder providers on PostgreSQL, applied as one
/// of the registry's migrations, so that it lives in the registry's schema under the same advisory lock and version.
/// </summary>
/// <remarks>
/// <para>The contract (Orleans 10.4.2): a provider reads <c>SELECT QueryKey, QueryText FROM OrleansQuery</c> once at
/// start and fails unless every key it knows is there; it then runs each query text with named parameters (<c>@Name</c>)
/// and reads result columns by name. Parameters: <c>DeploymentId</c> (the cluster id), <c>Address</c> (text),
/// <c>Port</c>, <c>Generation</c>, <c>SiloName</c>, <c>HostName</c>, <c>Status</c> (the SiloStatus number: 3 active,
/// 6 dead), <c>ProxyPort</c> (the gateway port, 0 for none), <c>SuspectTimes</c> (text, null when empty),
/// <c>StartTime</c>, <c>IAmAliveTime</c> (UTC), <c>Version</c> (the table version the caller read, its etag);
/// reminders: <c>ServiceId</c>, <c>GrainId</c>, <c>GrainHash</c> (the uint hash as a signed int), <c>ReminderName</c>,
/// <c>StartTime</c>, <c>Period</c> (milliseconds, int or bigint), <c>BeginHash</c>/<c>EndHash</c>, <c>Version</c>.
/// Queries answering yes or no return one row of one number (0 no, otherwise yes); a reminder upsert returns the new
/// <c>Version</c>; a membership read returns the version row with each silo left-joined (one row with null silo columns
/// when there is none), so that the version comes back even for an empty cluster.</para>
/// <para>Unquoted names are folded to lower case by PostgreSQL; the providers find the columns by name regardless of
/// case. The query texts name the tables unqualified: the providers connect with the registry's schema as search path
/// (<see cref="PostgresStore.OrleansConnectionString"/>).</para>
/// </remarks>
internal static class OrleansSchema
{
    /// <summary>The migration creating the tables and the stored queries.</summary>
    public const string Migration =
        """
        CREATE TABLE OrleansQuery (
            QueryKey text PRIMARY KEY,
            QueryText text NOT NULL
        );

        -- One row per cluster: its version is the membership table's etag. Every change of a silo row bumps it in the
        -- same statement, and only if the writer saw the current version (optimistic concurrency of the protocol).
        CREATE TABLE OrleansMembershipVersionTable (
            DeploymentId text PRIMARY KEY,
            Timestamp timestamptz NOT NULL DEFAULT now(),
            Version integer NOT NULL DEFAULT 0
        );

        -- One row per silo incarnation (a restarted silo has a new generation). Deleting a cluster's version row
        -- takes its silos with it.
        CREATE TABLE OrleansMembershipTable (
            DeploymentId text NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId) ON DELETE CASCADE,
            Address text NOT NULL,
            Port integer NOT NULL,
            Generation integer NOT NULL,
            SiloName text NOT NULL,
            HostName text NOT NULL,
            Status integer NOT NULL,
            ProxyPort integer NOT NULL DEFAULT 0,
            SuspectTimes text,
            StartTime timestamptz NOT NULL,
            IAmAliveTime timestamptz NOT NULL,
            PRIMARY KEY (DeploymentId, Address, Port, Generation)
        );

        CREATE TABLE OrleansRemindersTable (
            ServiceId text NOT NULL,
            GrainId text NOT NULL,
            ReminderName text NOT NULL,
            StartTime timestamptz NOT NULL,
            Period bigint NOT NULL,
            GrainHash integer NOT NULL,
            Version integer NOT NULL,
            PRIMARY KEY (ServiceId, GrainId, ReminderName)
        );
        -- Each silo reads the reminders of its hash range of the ring, on start and whenever the ring changes.
        CREATE INDEX OrleansRemindersTable_ServiceId_GrainHash ON OrleansRemindersTable (ServiceId, GrainHash);

        INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

        ('InsertMembershipVersionKey', $q$
            WITH created AS (
                INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
                ON CONFLICT (DeploymentId) DO NOTHING
                RETURNING 1)
            SELECT count(*)::integer FROM created
        $q$),

        -- The version row is locked first and only if it still has the version the silo read; the silo row is added
        -- only then, and the version bumped only if it was added. A concurrent writer with the same old version waits
        -- for the lock, then finds a newer version and changes nothing, so a "no" leaves no trace.
        ('InsertMembershipKey', $q$
            WITH expected AS (
                SELECT DeploymentId FROM OrleansMembershipVersionTable
                WHERE DeploymentId = @DeploymentId AND Version = @Version
                FOR UPDATE),
            added AS (
                INSERT INTO OrleansMembershipTable
                    (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
                SELECT DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
                FROM expected
                ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING
                RETURNING DeploymentId),
            bumped AS (
                UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
                WHERE DeploymentId IN (SELECT DeploymentId FROM added)
                RETURNING 1)
            SELECT count(*)::integer FROM bumped
        $q$),

        -- As the insert: the row changes only together with the version it was read at. The heartbeat time never goes
        -- back (a heartbeat written in between may be newer than the one in the entry).
        ('UpdateMembershipKey', $q$
            WITH expected AS (
                SELECT DeploymentId FROM OrleansMembershipVersionTable
                WHERE DeploymentId = @DeploymentId AND Version = @Version
                FOR UPDATE),
            changed AS (
                UPDATE OrleansMembershipTable m
                SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = greatest(m.IAmAliveTime, @IAmAliveTime)
                FROM expected e
                WHERE m.DeploymentId = e.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
                RETURNING m.DeploymentId),
            bumped AS (
                UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
                WHERE DeploymentId IN (SELECT DeploymentId FROM changed)
                RETURNING 1)
            SELECT count(*)::integer FROM bumped
        $q$),

        -- The heartbeat is not versioned: it is the most frequent write and no other silo's decision depends on its etag.
        ('UpdateIAmAlivetimeKey', $q$
            UPDATE OrleansMembershipTable SET IAmAliveTime = greatest(IAmAliveTime, @IAmAliveTime)
            WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
        $q$),

        ('MembershipReadRowKey', $q$
            SELECT v.DeploymentId, v.Version,
                   m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
                   m.SuspectTimes, m.StartTime, m.IAmAliveTime
            FROM OrleansMembershipVersionTable v
            LEFT JOIN OrleansMembershipTable m
                ON m.DeploymentId = v.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
            WHERE v.DeploymentId = @DeploymentId
        $q$),

        ('MembershipReadAllKey', $q$
            SELECT v.DeploymentId, v.Version,
                   m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
                   m.SuspectTimes, m.StartTime, m.IAmAliveTime
            FROM OrleansMembershipVersionTable v
            LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
            WHERE v.DeploymentId = @DeploymentId
        $q$),

        ('DeleteMembershipTableEntriesKey', $q$
            DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId
        $q$),

        -- Orleans clients find the gateways here: active silos that opened a gateway port.
        ('GatewaysQueryKey', $q$
            SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable
            WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0
        $q$),

        -- Dead silos whose last sign of life (start, heartbeat, suspicion) is older than the cut-off.
        ('CleanupDefunctSiloEntriesKey', $q$
            DELETE FROM OrleansMembershipTable
            WHERE DeploymentId = @DeploymentId AND Status = 6
              AND IAmAliveTime < @IAmAliveTime AND StartTime < @IAmAliveTime AND coalesce(SuspectTimes, '') = ''
        $q$),

        -- One dead silo's row, only if it is still exactly as the provider read it (it decided on those values).
        ('CleanupDefunctSiloEntryKey', $q$
            DELETE FROM OrleansMembershipTable
            WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
              AND Status = 6 AND StartTime = @StartTime AND IAmAliveTime = @IAmAliveTime
              AND coalesce(SuspectTimes, '') = coalesce(@SuspectTimes, '')
        $q$),

        ('UpsertReminderRowKey', $q$
            INSERT INTO OrleansRemindersTable AS r (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
            VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
            ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
                SET StartTime = excluded.StartTime, Period = excluded.Period, GrainHash = excluded.GrainHash,
                    Version = r.Version + 1
            RETURNING r.Version
        $q$),

        ('ReadReminderRowsKey', $q$
            SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
            WHERE ServiceId = @ServiceId AND GrainId = @GrainId
        $q$),

        ('ReadReminderRowKey', $q$
            SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
            WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
        $q$),

        -- A range of the hash ring, (BeginHash, EndHash] in signed order ...
        ('ReadRangeRows1Key', $q$
            SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
            WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash
        $q$),

        -- ... or one that wraps around the end of the signed order.
        ('ReadRangeRows2Key', $q$
            SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
            WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)
        $q$),

        ('DeleteReminderRowKey', $q$
            WITH removed AS (
                DELETE FROM OrleansRemindersTable
                WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version
                RETURNING 1)
            SELECT count(*)::integer FROM removed
        $q$),

        ('DeleteReminderRowsKey', $q$
            DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId
        $q$);
        """;
}
