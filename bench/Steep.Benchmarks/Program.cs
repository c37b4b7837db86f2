namespace Steep.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Usage(Console.Out);
            return args.Length == 0 ? 2 : 0;
        }
        var options = args.Skip(1).ToList();
        foreach (var o in options)
        {
            if (o != "--quick")
            {
                Console.Error.WriteLine($"unknown option '{o}'");
                Usage(Console.Error);
                return 2;
            }
        }
        bool quick = options.Contains("--quick");
        switch (args[0])
        {
            case "generator":
                return GeneratorBenchmark.Run(quick);
            case "macros":
                return MacroBenchmark.Run(quick);
            case "search":
                return SearchBenchmark.Run(quick);
            default:
                Console.Error.WriteLine($"unknown benchmark '{args[0]}'");
                Usage(Console.Error);
                return 2;
        }
    }

    private static void Usage(TextWriter w)
    {
        w.WriteLine("usage: dotnet run -c Release --project bench/Steep.Benchmarks -- generator|macros|search [--quick]");
        w.WriteLine();
        w.WriteLine("  generator   process-chain generator: first step of a for-each over 1k/10k/100k items,");
        w.WriteLine("              feeding results back one chain at a time, a 10,000-iteration yieldToInput loop,");
        w.WriteLine("              and SaveState/Load of a 100k-item state");
        w.WriteLine("  macros      macro expansion of a workflow with 1,000 include actions (target: <= 100 ms)");
        w.WriteLine("  search      /search over 100,000 process chains on SQLite and PostgreSQL (target: <= 100 ms per query;");
        w.WriteLine("              STEEP_BENCH_POSTGRES=<connection string> or skip, else a throwaway server is started)");
        w.WriteLine("  --quick     one measured run per case instead of several (rough figures, about 3x faster)");
    }
}
