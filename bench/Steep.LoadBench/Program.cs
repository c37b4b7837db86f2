using Steep.LoadBench;

try
{
    var options = BenchOptions.Parse(args);
    return await LoadBenchmark.RunAsync(options, args);
}
catch (HelpRequestedException)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"loadbench: {e.Message}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
