using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using Steep.Core.Generator;
using Steep.Core.Models;

namespace Steep.Benchmarks;

/// <summary>
/// Times the process-chain generator with Stopwatch: warm-up on small inputs first, then several runs per case,
/// reporting the median and the best. Only the generator calls are timed (not building the workflow or the results).
/// </summary>
internal static class GeneratorBenchmark
{
    private const int Small = 1_000, Medium = 10_000, Large = 100_000;
    private static readonly int[] Sizes = [Small, Medium, Large];
    private const int RecursiveIterations = 10_000;

    // targets
    private const double PlanLargeTargetSeconds = 2.0;
    private const long PlanLargeMemoryTarget = 1L << 30;
    private const double FeedLargeTargetSeconds = 10.0;
    private const double FeedRatioTarget = 12.0;

    private static IReadOnlyList<Service> _services = [];
    private static int _failures;

    public static int Run(bool quick)
    {
        _services = Workloads.Services();
        PrintHeader(quick);

        // warm-up: every path runs often enough on small inputs for the JIT to reach its optimised tier
        var warmStart = Stopwatch.GetTimestamp();
        var warm = Workloads.ForEachWorkflow(Small);
        for (int i = 0; i < 5; i++) Plan(warm, Small);
        for (int i = 0; i < 3; i++) FeedBack(warm, Small);
        for (int i = 0; i < 3; i++) Countdown(1_000);
        for (int i = 0; i < 3; i++) SaveLoadCycle(warm);
        Console.WriteLine($"warm-up: {Format(Stopwatch.GetElapsedTime(warmStart))}");
        Console.WriteLine();

        // (a) first step
        var planRows = new List<string>();
        var planMedian = new Dictionary<int, double>();
        MemoryFigures? planMemory = null;
        var workflows = new Dictionary<int, Workflow>();
        foreach (var n in Sizes)
        {
            var readStart = Stopwatch.GetTimestamp();
            workflows[n] = Workloads.ForEachWorkflow(n);
            var readTime = Stopwatch.GetElapsedTime(readStart).TotalSeconds;
            int runs = quick ? 1 : n == Large ? 5 : 9;
            var ctor = new List<double>();
            var gen = new List<double>();
            var gc = new List<double>();
            var cpu = new List<double>();
            for (int r = 0; r < runs; r++)
            {
                bool measureMemory = n == Large && r == 0;
                var m = Plan(workflows[n], n, measureMemory);
                ctor.Add(m.CtorSeconds);
                gen.Add(m.GenerateSeconds);
                gc.Add(m.GcPauseSeconds);
                cpu.Add(m.CpuSeconds);
                if (measureMemory) planMemory = m.Memory;
            }
            planMedian[n] = Median(gen);
            planRows.Add(Row("(a) plan: first Generate()", n, runs, Median(gen), gen.Min(),
                $"{Micro(Median(gen) / n)}/chain",
                $"{n:N0} chains; CPU {Format(Median(cpu))}; GC pauses {Format(Median(gc))}; ctor {Format(Median(ctor))}; reading the workflow {Format(readTime)}"));
        }
        PrintTable("(a) first step: a for-each over N predefined items, 2-action body, one 2-executable chain per item",
            planRows);
        Console.WriteLine($"    memory for N = {Large:N0} (first run): {planMemory}");
        Console.WriteLine();

        // (b) feeding back one chain at a time
        var feedRows = new List<string>();
        var feedMedian = new Dictionary<int, double>();
        var feedBest = new Dictionary<int, double>();
        // the sizes are run in interleaved rounds, so that a busy spell on the machine does not land on one size only
        // (the ratio compares them); the short cases run several times per round
        var feeds = Sizes.ToDictionary(n => n, _ => new List<FeedFigures>());
        int rounds = quick ? 1 : 7;
        for (int r = 0; r < rounds; r++)
        {
            foreach (var n in Sizes)
            {
                int repeat = quick || n == Large ? 1 : 3;
                for (int k = 0; k < repeat; k++) feeds[n].Add(FeedBack(workflows[n], n));
            }
        }
        foreach (var n in Sizes)
        {
            var f = feeds[n];
            var totals = f.Select(x => x.TotalSeconds).ToList();
            int steps = f[0].Steps;
            feedMedian[n] = Median(totals);
            feedBest[n] = totals.Min();
            feedRows.Add(Row("(b) feed back 1 chain per step", n, f.Count, Median(totals), totals.Min(),
                $"{Micro(Median(totals) / steps)}/step",
                $"{steps:N0} steps (incl. join); slowest step {Format(Median(f.Select(x => x.MaxStepSeconds).ToList()))}; " +
                $"CPU of the loop incl. building the results {Format(Median(f.Select(x => x.CpuSeconds).ToList()))}; " +
                $"GC pauses {Format(Median(f.Select(x => x.GcPauseSeconds).ToList()))}"));
        }
        double ratio = feedMedian[Large] / feedMedian[Medium];
        PrintTable("(b) the same workflows fed back one chain's results (and executed ids) per step until finished",
            feedRows);
        Console.WriteLine($"    ratio total({Large / 1000}k) / total({Medium / 1000}k) = {ratio:F2} of the medians, " +
            $"{feedBest[Large] / feedBest[Medium]:F2} of the best runs (linear: 10.00)");
        Console.WriteLine($"    peak working set so far: {Mib(PeakWorkingSet())}");
        Console.WriteLine();
        workflows.Remove(Small);
        workflows.Remove(Medium);

        // (c) yieldToInput loop
        var loopRows = new List<string>();
        {
            int runs = quick ? 1 : 5;
            var totals = new List<double>();
            for (int r = 0; r < runs; r++) totals.Add(Countdown(RecursiveIterations).TotalSeconds);
            loopRows.Add(Row("(c) yieldToInput countdown", RecursiveIterations, runs, Median(totals), totals.Min(),
                $"{Micro(Median(totals) / (RecursiveIterations + 1))}/step",
                $"{RecursiveIterations:N0} chains, {RecursiveIterations + 1:N0} steps; the last result is empty"));
        }
        PrintTable("(c) a recursive for-each (yieldToInput): each iteration's output is the next iteration's input", loopRows);
        Console.WriteLine();

        // persisted state
        SaveLoad(workflows[Large], quick);

        // targets
        var largePlan = planMedian[Large];
        var largeFeed = feedMedian[Large];
        Console.WriteLine("targets");
        Target(largePlan < PlanLargeTargetSeconds,
            $"(a) first Generate() for {Large:N0} items < {PlanLargeTargetSeconds} s: {Format(largePlan)} (median)");
        Target(planMemory is { } pm && pm.PeakWorkingSet < PlanLargeMemoryTarget && pm.HeapAfter < PlanLargeMemoryTarget,
            $"(a) memory for {Large:N0} items < 1 GiB: peak working set {Mib(planMemory?.PeakWorkingSet ?? 0)}, " +
            $"managed heap after the run {Mib(planMemory?.HeapAfter ?? 0)}");
        Target(largeFeed < FeedLargeTargetSeconds,
            $"(b) feeding back {Large:N0} chains < {FeedLargeTargetSeconds} s: {Format(largeFeed)} (median)");
        Target(ratio <= FeedRatioTarget,
            $"(b) time({Large / 1000}k) / time({Medium / 1000}k) <= {FeedRatioTarget}: {ratio:F2}");
        Console.WriteLine();
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        Console.WriteLine($"managed heap at the end: {Mib(GC.GetTotalMemory(true))}; peak working set: {Mib(PeakWorkingSet())}; " +
            $"allocated in total: {Mib(GC.GetTotalAllocatedBytes(true))}; GCs gen0/1/2: " +
            $"{GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
        GC.KeepAlive(workflows);
        if (_failures > 0)
        {
            Console.WriteLine($"{_failures} check(s) of the generator's output failed (see above)");
            return 1;
        }
        return 0;
    }

    // ---------------------------------------------------------------- (a)

    private sealed record MemoryFigures(long Allocated, long HeapBefore, long HeapAfter, long PeakWorkingSet)
    {
        public override string ToString() =>
            $"allocated during ctor + Generate() {Mib(Allocated)}; managed heap after the run {Mib(HeapAfter)} " +
            $"(+{Mib(HeapAfter - HeapBefore)} for the generator and its chains, the rest is the workflow model); " +
            $"peak working set {Mib(PeakWorkingSet)}";
    }

    private sealed record PlanFigures(double CtorSeconds, double GenerateSeconds, double CpuSeconds, double GcPauseSeconds, MemoryFigures? Memory);

    private static PlanFigures Plan(Workflow wf, int n, bool measureMemory = false)
    {
        long heapBefore = 0, allocBefore = 0;
        if (measureMemory)
        {
            heapBefore = GC.GetTotalMemory(true);
            allocBefore = GC.GetTotalAllocatedBytes(true);
        }
        else
        {
            GC.Collect();
        }
        var pause = GC.GetTotalPauseDuration();
        var t0 = Stopwatch.GetTimestamp();
        var g = new ProcessChainGenerator(wf, _services, Workloads.Options);
        var t1 = Stopwatch.GetTimestamp();
        var cpu = CpuTime();
        var chains = g.Generate();
        var t2 = Stopwatch.GetTimestamp();
        cpu = CpuTime() - cpu;
        pause = GC.GetTotalPauseDuration() - pause;
        MemoryFigures? memory = null;
        if (measureMemory)
        {
            long allocated = GC.GetTotalAllocatedBytes(true) - allocBefore;
            long heapAfter = GC.GetTotalMemory(true);
            memory = new MemoryFigures(allocated, heapBefore, heapAfter, PeakWorkingSet());
        }
        Check(chains.Count == n, $"plan {n}: {chains.Count} chains instead of {n}");
        Check(chains.All(c => c.Executables.Count == 2), $"plan {n}: a chain without exactly 2 executables");
        GC.KeepAlive(g);
        return new PlanFigures(Seconds(t1 - t0), Seconds(t2 - t1), cpu.TotalSeconds, pause.TotalSeconds, memory);
    }

    // ---------------------------------------------------------------- (b)

    private sealed record FeedFigures(double TotalSeconds, double MaxStepSeconds, double CpuSeconds, double GcPauseSeconds, int Steps);

    private static FeedFigures FeedBack(Workflow wf, int n)
    {
        var g = new ProcessChainGenerator(wf, _services, Workloads.Options);
        var queue = new Queue<ProcessChain>(g.Generate());
        GC.Collect();
        var pause = GC.GetTotalPauseDuration();
        var cpu = CpuTime();
        long total = 0, max = 0;
        int steps = 0, joins = 0, joinInputs = 0;
        while (queue.TryDequeue(out var chain))
        {
            var (results, executed) = Workloads.SucceededResults(chain);
            var t0 = Stopwatch.GetTimestamp();
            var next = g.Generate(results, executed);
            var dt = Stopwatch.GetTimestamp() - t0;
            total += dt;
            max = Math.Max(max, dt);
            steps++;
            foreach (var c in next)
            {
                queue.Enqueue(c);
                foreach (var e in c.Executables)
                {
                    if (e.ServiceId != "join") continue;
                    joins++;
                    joinInputs = e.Arguments.Count(a => a.Id == "i");
                }
            }
        }
        pause = GC.GetTotalPauseDuration() - pause;
        cpu = CpuTime() - cpu;
        Check(g.IsFinished, $"feed {n}: the generator did not finish");
        Check(joins == 1 && joinInputs == n, $"feed {n}: {joins} join(s) with {joinInputs} inputs instead of 1 with {n}");
        Check(steps == n + 1, $"feed {n}: {steps} steps instead of {n + 1}");
        return new FeedFigures(Seconds(total), Seconds(max), cpu.TotalSeconds, pause.TotalSeconds, steps);
    }

    // ---------------------------------------------------------------- (c)

    private sealed record LoopFigures(double TotalSeconds);

    private static LoopFigures Countdown(int iterations)
    {
        var wf = Workloads.RecursiveWorkflow();
        GC.Collect();
        var t0 = Stopwatch.GetTimestamp();
        var g = new ProcessChainGenerator(wf, _services, Workloads.Options);
        var chains = g.Generate();
        long total = Stopwatch.GetTimestamp() - t0;
        int produced = chains.Count;
        for (int i = 1; chains.Count > 0; i++)
        {
            Check(chains.Count == 1, $"countdown: {chains.Count} chains in one step instead of 1");
            var (results, executed) = i < iterations ? Workloads.SucceededResults(chains[0]) : Workloads.EmptyResults(chains[0]);
            var t1 = Stopwatch.GetTimestamp();
            chains = g.Generate(results, executed);
            total += Stopwatch.GetTimestamp() - t1;
            produced += chains.Count;
        }
        Check(produced == iterations, $"countdown: {produced} chains instead of {iterations}");
        Check(g.IsFinished, "countdown: the generator did not finish");
        return new LoopFigures(Seconds(total));
    }

    // ---------------------------------------------------------------- persisted state

    /// <summary>What <c>steep plan</c> does with a state file: load, one step, save.</summary>
    private static (double Load, double Generate, double Save, int Chains, byte[] Saved) PlanCycle(
        byte[] state, ProcessChain? fedBack)
    {
        var t0 = Stopwatch.GetTimestamp();
        var g = ProcessChainGenerator.Load(state, _services);
        var t1 = Stopwatch.GetTimestamp();
        IReadOnlyList<ProcessChain> chains;
        if (fedBack is null)
        {
            chains = g.Generate();
        }
        else
        {
            var (results, executed) = Workloads.SucceededResults(fedBack);
            t1 = Stopwatch.GetTimestamp();
            chains = g.Generate(results, executed);
        }
        var t2 = Stopwatch.GetTimestamp();
        var saved = g.SaveState();
        var t3 = Stopwatch.GetTimestamp();
        return (Seconds(t1 - t0), Seconds(t2 - t1), Seconds(t3 - t2), chains.Count, saved);
    }

    private static void SaveLoadCycle(Workflow wf)
    {
        var g = new ProcessChainGenerator(wf, _services, Workloads.Options);
        var first = g.Generate();
        PlanCycle(g.SaveState(), first[0]);
        var fresh = new ProcessChainGenerator(wf, _services, Workloads.Options);
        PlanCycle(fresh.SaveState(), null);
    }

    private static void SaveLoad(Workflow wf, bool quick)
    {
        int runs = quick ? 1 : 3;
        const int n = Large;
        var rows = new List<string>();

        var g = new ProcessChainGenerator(wf, _services, Workloads.Options);
        var stateFresh = Measure(g, runs, "new generator (before step 1)", null, rows);
        var chains = new Queue<ProcessChain>(g.Generate());
        var stateAfterFirst = Measure(g, runs, $"after step 1 ({n:N0} chains out)", chains.Peek(), rows);
        for (int i = 0; i < n / 2; i++)
        {
            var (results, executed) = Workloads.SucceededResults(chains.Dequeue());
            foreach (var c in g.Generate(results, executed)) chains.Enqueue(c);
        }
        var stateHalf = Measure(g, runs, $"after {n / 2:N0} chains fed back", chains.Peek(), rows);

        Console.WriteLine($"SaveState/Load of the {n:N0}-item workflow (best of {runs}; a plan cycle is what `steep plan` does " +
            "with a state file: Load, Generate() with one chain's results, SaveState)");
        Console.WriteLine($"    {"state",-42} {"size",10} {"SaveState",10} {"Load",10} {"cycle: Load",12} {"Generate",10} {"SaveState",10}");
        foreach (var r in rows) Console.WriteLine(r);

        // the loaded generator goes on exactly like the original: finish both and compare what they produce
        var loaded = ProcessChainGenerator.Load(stateHalf, _services);
        var originalRest = Drain(g, new Queue<ProcessChain>(chains));
        var loadedRest = Drain(loaded, new Queue<ProcessChain>(chains));
        Check(originalRest == loadedRest, $"save/load: the loaded generator went on differently ({loadedRest} vs {originalRest})");
        Check(g.IsFinished && loaded.IsFinished, "save/load: the generators did not finish");
        Console.WriteLine($"    the generator loaded from the last state finished like the original ({loadedRest})");
        Console.WriteLine();
        GC.KeepAlive(stateFresh);
        GC.KeepAlive(stateAfterFirst);
    }

    private static byte[] Measure(ProcessChainGenerator g, int runs, string label, ProcessChain? next, List<string> rows)
    {
        byte[] state = [];
        double save = double.MaxValue, load = double.MaxValue;
        double cLoad = double.MaxValue, cGen = double.MaxValue, cSave = double.MaxValue;
        for (int r = 0; r < runs; r++)
        {
            GC.Collect();
            var t0 = Stopwatch.GetTimestamp();
            state = g.SaveState();
            save = Math.Min(save, Seconds(Stopwatch.GetTimestamp() - t0));
            GC.Collect();
            t0 = Stopwatch.GetTimestamp();
            var loaded = ProcessChainGenerator.Load(state, _services);
            load = Math.Min(load, Seconds(Stopwatch.GetTimestamp() - t0));
            GC.KeepAlive(loaded);
            loaded = null;
            GC.Collect();
            var c = PlanCycle(state, next);
            cLoad = Math.Min(cLoad, c.Load);
            cGen = Math.Min(cGen, c.Generate);
            cSave = Math.Min(cSave, c.Save);
        }
        rows.Add($"    {label,-42} {Mib(state.Length),10} {Format(save),10} {Format(load),10} {Format(cLoad),12} {Format(cGen),10} {Format(cSave),10}");
        return state;
    }

    /// <summary>Feeds back every chain until none are left; a summary of what was produced.</summary>
    private static string Drain(ProcessChainGenerator g, Queue<ProcessChain> queue)
    {
        int steps = 0, chains = 0, executables = 0, arguments = 0;
        while (queue.TryDequeue(out var chain))
        {
            var (results, executed) = Workloads.SucceededResults(chain);
            foreach (var c in g.Generate(results, executed))
            {
                queue.Enqueue(c);
                chains++;
                executables += c.Executables.Count;
                arguments += c.Executables.Sum(e => e.Arguments.Count);
            }
            steps++;
        }
        return $"{steps:N0} more steps, {chains:N0} more chains, {executables:N0} executables, {arguments:N0} arguments";
    }

    // ---------------------------------------------------------------- output

    private static void PrintHeader(bool quick)
    {
        Console.WriteLine($"Steep process-chain generator benchmark{(quick ? " (--quick: one measured run per case)" : "")}");
        Console.WriteLine($"date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {RuntimeInformation.FrameworkDescription}; " +
            $"{RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}; {Environment.ProcessorCount} cores; " +
            $"memory {Mib(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)}");
        Console.WriteLine($"GC: {(GCSettings.IsServerGC ? "server" : "workstation")}, {GCSettings.LatencyMode}; " +
            $"configuration: {(IsOptimized() ? "Release" : "Debug (figures are not meaningful)")}");
        Console.WriteLine($"load average at the start: {LoadAverage()} (other processes on the machine inflate wall times; CPU is this process's CPU time)");
        Console.WriteLine("times: Stopwatch around the generator calls only; median and best of the measured runs after a warm-up");
        Console.WriteLine();
    }

    private static bool IsOptimized()
    {
        var attr = typeof(ProcessChainGenerator).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false)
            .OfType<DebuggableAttribute>().FirstOrDefault();
        return attr is null || !attr.IsJITOptimizerDisabled;
    }

    private static void PrintTable(string title, List<string> rows)
    {
        Console.WriteLine(title);
        Console.WriteLine($"    {"case",-32} {"N",8} {"runs",4} {"median",10} {"best",10} {"per unit",14}  notes");
        foreach (var r in rows) Console.WriteLine(r);
    }

    private static string Row(string name, int n, int runs, double median, double best, string perUnit, string notes) =>
        $"    {name,-32} {n,8:N0} {runs,4} {Format(median),10} {Format(best),10} {perUnit,14}  {notes}";

    private static void Target(bool pass, string text) => Console.WriteLine($"    {(pass ? "PASS" : "FAIL")}  {text}");

    private static void Check(bool ok, string message)
    {
        if (ok) return;
        _failures++;
        Console.WriteLine($"CHECK FAILED: {message}");
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    private static string Format(TimeSpan t) => Format(t.TotalSeconds);

    private static string Format(double seconds) => seconds switch
    {
        >= 1 => $"{seconds:F2} s",
        >= 0.001 => $"{seconds * 1e3:F1} ms",
        _ => $"{seconds * 1e6:F0} µs",
    };

    private static string Micro(double seconds) => $"{seconds * 1e6:F2} µs";

    private static string Mib(long bytes) => $"{bytes / (1024.0 * 1024.0):F1} MiB";

    private static TimeSpan CpuTime()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static long PeakWorkingSet()
    {
        using var p = Process.GetCurrentProcess();
        return p.PeakWorkingSet64;
    }
}
