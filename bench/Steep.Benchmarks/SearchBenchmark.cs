using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Steep.Core.Models;
using Steep.Persistence;
using Steep.Persistence.Postgres;
using Steep.Persistence.Search;
using Steep.Persistence.Sqlite;

namespace Steep.Benchmarks;

/// <summary>
/// Times <c>/search</c> queries (page of 10 with exact counts per type) over 100,000 process chains in 20 submissions,
/// on SQLite and on PostgreSQL: warm-up first, then repeated runs, median and worst. Target: ≤ 100 ms per query.
/// PostgreSQL: the server named by STEEP_BENCH_POSTGRES (an Npgsql connection string of a user that may create
/// schemas), or a throwaway server started from /usr/lib/postgresql/15/bin; STEEP_BENCH_POSTGRES=skip skips it.
/// </summary>
internal static class SearchBenchmark
{
    private const int Chains = 100_000;
    private const int Submissions = 20;
    private const double TargetMs = 100;
    private static readonly string[][] CapabilitySets = [["docker"], ["docker", "gpu"], ["highmemory"], ["sleep", "docker"], []];
    private static Action? Analyze;
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] Queries =
    [
        "highmemory",                          // a term in 20% of the chains (capabilities)
        "docker gpu",                          // two terms, 60% of the chains
        "exit code 127 in:error",              // terms in error messages only (1%)
        "error:127 is:processchain",           // a filter on error messages
        "rcs:highmemory status:error",         // a capability with a status
        "status:success is:processchain",      // 99% of the chains, by status alone
        "c4242",                               // part of an id (11 chains)
        "id:c99999",                           // one id
        "start:2026-03-02",                    // a day of start times
        "nothing-has-this",                    // no match
        "ab",                                  // a term shorter than a trigram: not indexed, scanned (outside the target)
    ];

    public static int Run(bool quick)
    {
        Console.WriteLine($"search benchmark ({(quick ? "quick" : "full")}): {Chains:N0} chains in {Submissions} submissions, page of 10 with counts, " +
            $"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
        int runs = quick ? 5 : 21;
        bool allMet = true;
        var directory = Path.Combine(Path.GetTempPath(), "steep-search-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var sqlite = new SqliteStore(Path.Combine(directory, "steep.db")))
            {
                allMet &= Measure("sqlite", sqlite, sqlite, sqlite, runs).GetAwaiter().GetResult();
            }
            var given = Environment.GetEnvironmentVariable("STEEP_BENCH_POSTGRES");
            if (string.Equals(given, "skip", StringComparison.OrdinalIgnoreCase))
            {
                Console.WriteLine("postgres: skipped (STEEP_BENCH_POSTGRES=skip)");
            }
            else
            {
                using var server = string.IsNullOrWhiteSpace(given) ? ThrowawayServer.Start(directory) : null;
                var connection = server?.ConnectionString ?? given!;
                var schema = "bench_" + Guid.NewGuid().ToString("N")[..8];
                var store = PostgresStore.OpenAsync(connection, schema).GetAwaiter().GetResult();
                Analyze = () =>
                {
                    // the statistics autovacuum gathers a minute after a bulk load, at once
                    using var c = new Npgsql.NpgsqlConnection(connection);
                    c.Open();
                    using var command = new Npgsql.NpgsqlCommand($"ANALYZE \"{schema}\".process_chains; ANALYZE \"{schema}\".submissions", c);
                    command.ExecuteNonQuery();
                };
                try
                {
                    allMet &= Measure("postgres", store, store, store, runs).GetAwaiter().GetResult();
                }
                finally
                {
                    store.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
            }
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // the temporary folder is cleaned by the OS
            }
        }
        return allMet ? 0 : 1;
    }

    private static async Task<bool> Measure(string name, ISubmissionStore submissions, IProcessChainStore chains, IRegistrySearch search, int runs)
    {
        var fill = Stopwatch.StartNew();
        await FillAsync(submissions, chains);
        Analyze?.Invoke();
        Analyze = null;
        Console.WriteLine($"{name}: {Chains:N0} chains stored, started and finished in {fill.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"  {"query (count=estimate, the default)",-34} {"median",10} {"worst",10} {"estimate",9} {"shown",6} {"exact:",12} {"chains",9}");
        bool met = true;
        foreach (var q in Queries)
        {
            var query = SearchQueryParser.Parse(q, TimeZoneInfo.Utc);
            var (median, worst, result) = await TimeAsync(search, query, SearchCount.Estimate, runs);
            var (exactMedian, _, exact) = await TimeAsync(search, query, SearchCount.Exact, runs);
            // terms under three characters cannot use a trigram index: shown, but not held to the target
            bool indexed = SearchQueryParser.Parse(q, TimeZoneInfo.Utc).Terms.All(t => t.IsTime || t.Text!.Length >= 3);
            if (indexed) met &= median <= TargetMs;
            Console.WriteLine($"  {q,-34} {median,8:F1}ms {worst,8:F1}ms {result.ProcessChains,9:N0} {result.Items.Count,6} {exactMedian,10:F1}ms {exact.ProcessChains,9:N0}" +
                (!indexed ? "  (not indexed)" : median <= TargetMs ? "" : "  (target ≤ 100 ms: MISSED)"));
        }
        Console.WriteLine($"  target ≤ {TargetMs} ms (median, count=estimate) for every indexed query: {(met ? "met" : "MISSED")}");
        return met;
    }

    private static async Task<(double Median, double Worst, SearchResults Last)> TimeAsync(IRegistrySearch search, SearchQuery query, SearchCount count, int runs)
    {
        var result = await search.SearchAsync(query, 0, 10, count, CancellationToken.None); // warm-up
        var times = new List<double>(runs);
        for (int i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            result = await search.SearchAsync(query, 0, 10, count, CancellationToken.None);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        times.Sort();
        return (times[times.Count / 2], times[^1], result);
    }

    /// <summary>Chains with varied capabilities, one in a hundred failed with an exit code, start times over five days.</summary>
    private static async Task FillAsync(ISubmissionStore submissions, IProcessChainStore chains)
    {
        const int perSubmission = Chains / Submissions;
        var ct = CancellationToken.None;
        int n = 0;
        for (int s = 0; s < Submissions; s++)
        {
            var id = $"s{s}";
            await submissions.AddAsync(new Submission
            {
                Id = id, Status = SubmissionStatus.Success, RequiredCapabilities = ["docker"], Name = $"Workflow {s}",
                StartTime = Start.AddHours(s), EndTime = Start.AddHours(s + 1),
            }, ct);
            var batch = new List<ProcessChain>(perSubmission);
            for (int i = 0; i < perSubmission; i++, n++)
            {
                batch.Add(new ProcessChain
                {
                    Id = $"c{n}",
                    RequiredCapabilities = CapabilitySets[n % CapabilitySets.Length],
                    Executables = [new Executable { Id = "a", Path = "cp", ServiceId = "cp", Arguments = [] }],
                });
            }
            await submissions.CommitStepAsync(id, new GeneratorStep(1, [1]), batch, ct);
            var updates = new List<ProcessChainUpdate>(perSubmission);
            for (int i = 0; i < perSubmission; i++)
            {
                int c = s * perSubmission + i;
                var started = Start.AddSeconds(c * 4); // 100,000 chains over about five days
                bool failed = c % 100 == 7;
                updates.Add(new ProcessChainUpdate($"c{c}")
                {
                    Status = failed ? ProcessChainStatus.Error : ProcessChainStatus.Success,
                    StartTime = started, EndTime = started.AddSeconds(3), AgentId = "agent-1", RunNumber = 1,
                    ErrorMessage = failed ? $"Service 'cp' failed with exit code {(c % 3 == 0 ? 127 : 1)}: file {c} not found" : null,
                });
            }
            for (int i = 0; i < updates.Count; i += 1000) await chains.UpdateManyAsync(updates.Skip(i).Take(1000).ToList(), ct);
        }
    }

    /// <summary>A PostgreSQL 15 server in a temporary folder, stopped on dispose.</summary>
    private sealed class ThrowawayServer : IDisposable
    {
        private const string Bin = "/usr/lib/postgresql/15/bin";
        private readonly string _data;
        private readonly bool _asRoot;

        private ThrowawayServer(string data, bool asRoot, string connectionString)
        {
            _data = data;
            _asRoot = asRoot;
            ConnectionString = connectionString;
        }

        public string ConnectionString { get; }

        public static ThrowawayServer Start(string directory)
        {
            var root = Path.Combine(directory, "pg");
            var data = Path.Combine(root, "data");
            Directory.CreateDirectory(root);
            // initdb and pg_ctl refuse to run as root: as root, they run as postgres, who must own the folders
            bool asRoot = Environment.UserName == "root";
            if (asRoot)
            {
                Run("chmod", ["755", directory], false);
                Run("chown", ["postgres:postgres", root], false);
            }
            int port;
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            Run(Path.Combine(Bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"], asRoot);
            Run(Path.Combine(Bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60",
                "-o", $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c synchronous_commit=off", "start"], asRoot);
            return new ThrowawayServer(data, asRoot, $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres");
        }

        public void Dispose() => Run(Path.Combine(Bin, "pg_ctl"), ["-D", _data, "-m", "fast", "stop"], _asRoot);

        private static void Run(string program, string[] arguments, bool asPostgres)
        {
            var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath(),
            };
            if (asPostgres)
            {
                foreach (var a in new[] { "-u", "postgres", "--", program }) start.ArgumentList.Add(a);
            }
            foreach (var a in arguments) start.ArgumentList.Add(a);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{program} failed with exit code {process.ExitCode}: {output.Result}{error.Result}");
        }
    }
}
