using System.Diagnostics;
using Npgsql;
using Steep.Tests.Shared;

namespace Steep.Persistence.Tests;

/// <summary>
/// The PostgreSQL server of the test run, shared by all test classes: the one named by <c>STEEP_TEST_POSTGRES</c> (a
/// connection string; CI starts one with .ci/postgres.sh), or else a throwaway server started here from the
/// PostgreSQL 15 binaries and stopped when the test process exits. Without either the tests fail, saying what is
/// missing; <c>STEEP_TEST_POSTGRES=skip</c> skips them instead.
/// </summary>
internal sealed class PostgresServer
{
    public const string Variable = "STEEP_TEST_POSTGRES";

    // Another installation (or version) may be named by STEEP_TEST_POSTGRES_BIN.
    private static readonly string BinaryDirectory =
        Environment.GetEnvironmentVariable("STEEP_TEST_POSTGRES_BIN") is { Length: > 0 } bin ? bin : "/usr/lib/postgresql/15/bin";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartOrConnectAsync);

    private readonly string? _data; // the data directory of a server started here, to stop and start it again
    private readonly string? _directory;
    private readonly int _port;

    private PostgresServer(string connectionString, string? data = null, string? directory = null, int port = 0)
    {
        ConnectionString = connectionString;
        _data = data;
        _directory = directory;
        _port = port;
    }

    /// <summary>Whether a server of its own can be started here (the PostgreSQL binaries are installed).</summary>
    public static bool CanStartOwn => File.Exists(Path.Combine(BinaryDirectory, "initdb"));

    /// <summary>
    /// A throwaway server of the caller's own, even when <c>STEEP_TEST_POSTGRES</c> names a shared one: for tests that
    /// stop and start the server (<see cref="StopAsync"/>, <see cref="StartAgainAsync"/>). It is stopped when the test
    /// process exits.
    /// </summary>
    public static Task<PostgresServer> StartOwnAsync() => StartAsync();

    /// <summary>Stops a server started here (fast shutdown: open sessions are ended, as an administrator's restart does).</summary>
    public Task StopAsync() => RunAsync(Path.Combine(BinaryDirectory, "pg_ctl"),
        ["-D", _data ?? throw new InvalidOperationException("only a server started here can be stopped"), "-m", "fast", "-w", "stop"],
        Environment.UserName == "root");

    /// <summary>Starts a server stopped by <see cref="StopAsync"/> again, on the same port and data; returns once it accepts connections.</summary>
    public Task StartAgainAsync() => PgCtlStartAsync(_data ?? throw new InvalidOperationException("only a server started here can be started"),
        _directory!, _port, Environment.UserName == "root");

    /// <summary>True when the environment asks to skip the PostgreSQL tests.</summary>
    public static bool Skipped => string.Equals(Environment.GetEnvironmentVariable(Variable), "skip", StringComparison.OrdinalIgnoreCase);

    /// <summary>The message of a skipped test.</summary>
    public static string SkipReason => $"{Variable}=skip";

    /// <summary>A connection string with the rights to create databases.</summary>
    public string ConnectionString { get; }

    /// <summary>The server, started on first use.</summary>
    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>Creates an empty database and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, with whatever connections are still open to it.</summary>
    public async Task DropDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<PostgresServer> StartOrConnectAsync()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            // pooling off: the admin connection is used a few times per test class, and a pooled one would hold on
            // to databases being dropped
            return new PostgresServer(new NpgsqlConnectionStringBuilder(given) { Pooling = false }.ConnectionString);
        }
        if (!File.Exists(Path.Combine(BinaryDirectory, "initdb")))
        {
            throw new InvalidOperationException(
                $"The PostgreSQL tests need a server: set {Variable} to an Npgsql connection string of a PostgreSQL 15 server " +
                $"(a user that may create databases), or install PostgreSQL 15 so that {BinaryDirectory}/initdb exists " +
                $"(apt-get install postgresql-15), or set {Variable}=skip to skip them.");
        }
        return await StartAsync();
    }

    private static async Task<PostgresServer> StartAsync()
    {
        RemoveStoppedServers();
        var directory = Path.Combine(Path.GetTempPath(), "steep-pg-" + Guid.NewGuid().ToString("N"));
        var data = Path.Combine(directory, "data");
        Directory.CreateDirectory(directory);
        // initdb and pg_ctl refuse to run as root: as root, they run as the user postgres, who must own the directory
        bool asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", ["postgres:postgres", directory], asPostgres: false);
        int port = FreePorts.Next();
        await RunAsync(Path.Combine(BinaryDirectory, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"], asRoot);
        // synchronous_commit=off: a commit does not wait for its WAL flush, like SQLite's synchronous=NORMAL of the
        // embedded store; a throwaway server needs no more, and the tests run on a shared machine
        await PgCtlStartAsync(data, directory, port, asRoot);
        StartWatchdog(data, directory, asRoot);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                RunAsync(Path.Combine(BinaryDirectory, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"], asRoot).GetAwaiter().GetResult();
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception)
            {
                // nothing left to report to at process exit; the directory is in the temp folder
            }
        };
        return new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false", data, directory, port);
    }

    private static Task PgCtlStartAsync(string data, string directory, int port, bool asRoot) =>
        RunAsync(Path.Combine(BinaryDirectory, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60",
             "-o", $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c synchronous_commit=off -c max_connections=200",
             "start"], asRoot);

    // The exit handler may not get to delete the directory (the test host's exit does not wait long): directories of
    // earlier runs whose server is no longer running go now (not fresh ones: another test process may be setting one up).
    private static void RemoveStoppedServers()
    {
        foreach (var old in Directory.EnumerateDirectories(Path.GetTempPath(), "steep-pg-*"))
        {
            try
            {
                if (!File.Exists(Path.Combine(old, "data", "postmaster.pid"))
                    && Directory.GetLastWriteTimeUtc(old) < DateTime.UtcNow.AddMinutes(-10))
                    Directory.Delete(old, recursive: true);
            }
            catch (IOException)
            {
                // another test process's, being set up or removed
            }
            catch (UnauthorizedAccessException)
            {
                // another user's
            }
        }
    }

    // The exit handler does not run when the test process is killed or the test host ends it abruptly: a shell that
    // waits for this process to end stops the server in any case.
    private static void StartWatchdog(string data, string directory, bool asRoot)
    {
        var pgCtl = Path.Combine(BinaryDirectory, "pg_ctl");
        var stop = asRoot ? $"runuser -u postgres -- '{pgCtl}'" : $"'{pgCtl}'";
        var script = $"exec </dev/null >/dev/null 2>&1; while kill -0 {Environment.ProcessId}; do sleep 1; done; " +
            $"cd /tmp; {stop} -D '{data}' -m immediate stop; rm -rf '{directory}'";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var a in new[] { "sh", "-c", script }) start.ArgumentList.Add(a);
        using var _ = Process.Start(start);
    }

    private static async Task RunAsync(string program, string[] arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(), // readable by the user postgres
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program }) start.ArgumentList.Add(a);
        }
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        // pg_ctl start leaves the server running with its output: read to the end only what the command itself says
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {await output}{await error}");
        }
    }
}
