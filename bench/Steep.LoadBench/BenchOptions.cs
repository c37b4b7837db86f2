using System.Globalization;

namespace Steep.LoadBench;

/// <summary>Command-line options of the load benchmark.</summary>
internal sealed record BenchOptions
{
    public int Workflows { get; init; } = 500;
    public int Clients { get; init; } = 50;
    public Uri? Url { get; init; }
    public string? Token { get; init; }
    public int? Agents { get; init; }
    public int ListSize { get; init; } = 10;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    public string? ResultsFile { get; init; }
    public bool Write { get; init; } = true;

    public const string Usage = """
        Usage: dotnet run -c Release --project bench/Steep.LoadBench -- [options]
          --workflows N   workflows to submit in total (default 500)
          --clients N     concurrent clients (default 50); each submits, then lists and gets submissions, in turns
          --url URL       use a running server instead of starting ./steep serve on a free port
          --token T       bearer token for --url (default: $STEEP_HTTP_TOKEN)
          --agents N      local agents of the started server (default: the server's, one per core)
          --list-size N   page size of the GET /workflows requests (default 10)
          --timeout S     give up after S seconds (default 600)
          --results FILE  where to append the results (default bench/LOAD-RESULTS.md)
          --no-write      print only
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions { Token = Environment.GetEnvironmentVariable("STEEP_HTTP_TOKEN") };
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Positive() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
                ? n : throw new ArgumentException($"{args[i - 1]} needs a whole number above 0");
            o = args[i] switch
            {
                "--workflows" => o with { Workflows = Positive() },
                "--clients" => o with { Clients = Positive() },
                "--url" => o with { Url = new Uri(Value()) },
                "--token" => o with { Token = Value() },
                "--agents" => o with { Agents = Positive() },
                "--list-size" => o with { ListSize = Positive() },
                "--timeout" => o with { Timeout = TimeSpan.FromSeconds(Positive()) },
                "--results" => o with { ResultsFile = Value() },
                "--no-write" => o with { Write = false },
                "-h" or "--help" => throw new HelpRequestedException(),
                var a => throw new ArgumentException($"unknown option '{a}'"),
            };
        }
        return o;
    }
}

/// <summary>Thrown for --help.</summary>
internal sealed class HelpRequestedException : Exception;
