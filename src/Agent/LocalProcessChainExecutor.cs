using System.Globalization;
using Steep.Agent.Native;
using Steep.Core.Models;
using Steep.Plugins;

namespace Steep.Agent;

/// <summary>Runs process chains on this machine (runtimes <c>other</c> and <c>docker</c>) with retries, logs and cancellation.</summary>
public sealed class LocalProcessChainExecutor : IProcessChainExecutor
{
    private static readonly TimeSpan DockerKillTimeout = TimeSpan.FromSeconds(10);
    private readonly AgentOptions _options;
    private readonly RunningProcessJournal? _journal;

    /// <summary>Creates an executor with the given options.</summary>
    public LocalProcessChainExecutor(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _journal = RunningProcessJournal.In(RunningProcessJournal.DirectoryOf(options));
    }

    /// <inheritdoc />
    public Task<ProcessChainOutcome> ExecuteAsync(ProcessChain chain, CancellationToken ct) => ExecuteAsync(chain, 1, ct);

    /// <inheritdoc />
    public async Task<ProcessChainOutcome> ExecuteAsync(ProcessChain chain, int runNumber, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var executed = new List<string>(chain.Executables.Count);
        try
        {
            return await RunChainAsync(chain, runNumber, executed, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Cancelled(executed);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // the contract: failures come back as ERROR, whatever their cause (an odd path, a vanished directory, ...)
            return Failed($"Process chain '{chain.Id}' failed: {e.Message}", executed);
        }
    }

    private async Task<ProcessChainOutcome> RunChainAsync(ProcessChain chain, int runNumber, List<string> executed, CancellationToken ct)
    {
        if (ct.IsCancellationRequested) return Cancelled(executed);

        var workingDirectory = _options.WorkingDirectory is { } wd ? Path.GetFullPath(wd) : Directory.GetCurrentDirectory();
        ChainLog log;
        try
        {
            log = ChainLog.Open(_options.LogDirectory, chain.Id, runNumber);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failed($"Cannot open the log file of process chain '{chain.Id}' in '{_options.LogDirectory}': {e.Message}", executed);
        }

        using (log)
        try
        {
            for (int i = 0; i < chain.Executables.Count; i++)
            {
                var exe = chain.Executables[i];
                var step = await RunWithRetriesAsync(chain.Id, i, chain.Executables.Count, exe, workingDirectory, log, ct).ConfigureAwait(false);
                if (step.Cancelled || (step.Error is not null && ct.IsCancellationRequested)) return Cancelled(executed);
                if (step.Error is not null) return Failed(step.Error, executed);
                executed.Add(exe.Id);
            }

            var results = new Dictionary<string, List<string>>();
            try
            {
                if (_options.Plugins.OutputAdapters.Count == 0)
                {
                    foreach (var exe in chain.Executables) OutputFiles.Collect(exe, workingDirectory, results);
                }
                else if (await CollectWithAdaptersAsync(chain, workingDirectory, results, ct).ConfigureAwait(false) is { } adapterError)
                {
                    return Failed(adapterError, executed);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Failed($"Cannot collect the output files of process chain '{chain.Id}': {e.Message}", executed);
            }
            if (ct.IsCancellationRequested) return Cancelled(executed);
            var readOnly = new Dictionary<string, IReadOnlyList<string>>(results.Count);
            foreach (var (k, v) in results) readOnly[k] = v;
            return new ProcessChainOutcome(ProcessChainStatus.Success, readOnly, null, executed);
        }
        finally
        {
            if (_options.Plugins.ProgressEstimators.Count > 0) _options.Progress.Remove(chain.Id);
        }
    }

    /// <summary>Runs one executable, retrying it as its retry policy says.</summary>
    private async Task<StepResult> RunWithRetriesAsync(
        string chainId, int index, int count, Executable exe, string workingDirectory, ChainLog log, CancellationToken ct)
    {
        var policy = exe.Retries;
        int maxAttempts = policy is null ? 1 : policy.MaxAttempts < 0 ? int.MaxValue : Math.Max(1, policy.MaxAttempts);
        for (int attempt = 1; ; attempt++)
        {
            var step = await RunOnceAsync(chainId, index, count, exe, attempt, maxAttempts, workingDirectory, log, ct).ConfigureAwait(false);
            if (step.Error is null || step.Cancelled || ct.IsCancellationRequested) return step;
            if (attempt >= maxAttempts)
            {
                log.Flush();
                return step;
            }

            var delay = policy!.DelayBeforeRetry(attempt);
            log.WriteLine($"=== {Now()} attempt {attempt} failed; retrying in {delay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms");
            log.Flush();
            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, _options.Clock, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    log.WriteLine($"=== {Now()} cancelled while waiting to retry");
                    return StepResult.WasCancelled;
                }
            }
        }
    }

    private async Task<StepResult> RunOnceAsync(
        string chainId, int index, int count, Executable exe, int attempt, int maxAttempts, string workingDirectory, ChainLog log,
        CancellationToken ct)
    {
        if (ct.IsCancellationRequested) return StepResult.WasCancelled;
        var attempts = maxAttempts == 1 ? "" : maxAttempts == int.MaxValue ? $", attempt {attempt}" : $", attempt {attempt} of {maxAttempts}";
        log.WriteLine($"=== {Now()} service '{exe.ServiceId}' (executable '{exe.Id}'){attempts}");
        // messages name the attempt only when the last of several failed, i.e. when it becomes the chain's error
        var what = $"service '{exe.ServiceId}' (executable '{exe.Id}'{(attempt > 1 ? attempts : "")})";

        // plugins are looked up only when there are any: no cost per executable otherwise
        var plugins = _options.Plugins;
        var feed = plugins.ProgressEstimators.Count > 0 && plugins.ProgressEstimators.TryGetValue(exe.ServiceId, out var estimator)
            ? new ProgressFeed(estimator, exe, chainId, index, count, _options.Progress, log) : null;
        if (plugins.Runtimes.Count > 0 && plugins.Runtimes.TryGetValue(exe.Runtime, out var runtime))
            return await RunPluginRuntimeAsync(runtime, chainId, exe, what, workingDirectory, log, feed, ct).ConfigureAwait(false);

        var containerName = exe.Runtime == Runtimes.Docker ? Runtimes.ContainerName(chainId, index, attempt) : "";
        var plan = Runtimes.Prepare(exe, _options, workingDirectory, containerName, out var error);
        if (plan is null)
        {
            var message = $"Cannot run {what}: {error}";
            log.WriteLine("=== " + message);
            return new StepResult(false, message);
        }
        log.WriteLine("$ " + CommandLine.Format(plan.FileName, plan.Arguments));

        try
        {
            OutputFiles.Prepare(exe, workingDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            var message = $"Cannot create the output directories of {what}: {e.Message}";
            log.WriteLine("=== " + message);
            return new StepResult(false, message);
        }

        // the journal knows the process from its start until it has ended (awaited, also when killed)
        using var tracked = _journal?.Track(chainId);
        Action<int, ulong>? onStarted = tracked is null ? null : tracked.Started;
        Func<Task>? onCancel = plan.ContainerName is { } name ? () => KillContainerAsync(plan.FileName, name, workingDirectory) : null;
        IReadOnlyList<string> tail;
        ProcessResult result;
        // a progress estimator reads the lines, so they pass through this process instead of straight into the log file
        if (feed is null && PosixSpawnLauncher.IsSupported && log.BeginOutput() is var (file, start))
        {
            result = await PosixSpawnLauncher.RunAsync(plan.FileName, plan.Arguments, workingDirectory, file, onCancel, onStarted, ct)
                .ConfigureAwait(false);
            log.EndOutput();
            tail = result.ExitCode != 0 && !result.Cancelled && result.StartError is null
                ? log.ReadOutputTail(start, _options.ErrorOutputLines) : [];
        }
        else
        {
            var lines = new OutputTail(_options.ErrorOutputLines);
            result = await ProcessRunner.RunAsync(
                plan.FileName, plan.Arguments, workingDirectory,
                line =>
                {
                    log.WriteOutputLine(line);
                    lines.Add(line);
                    feed?.Add(line);
                },
                onCancel, _options.OutputDrainTimeout, ct, onStarted).ConfigureAwait(false);
            tail = lines.ToList();
        }

        if (result.Cancelled)
        {
            log.WriteLine($"=== {Now()} cancelled: process tree killed");
            return StepResult.WasCancelled;
        }
        if (result.StartError is not null)
        {
            var message = $"Cannot start '{plan.FileName}' for {what}: {result.StartError}";
            log.WriteLine("=== " + message);
            return new StepResult(false, message);
        }
        log.WriteLine($"=== {Now()} exit code {result.ExitCode.ToString(CultureInfo.InvariantCulture)}");
        if (result.ExitCode == 0)
        {
            // hand the lines to the OS now so that the log is readable while later executables run
            log.Flush();
            return StepResult.Ok;
        }
        var output = tail.Count switch
        {
            0 => "It printed nothing.",
            1 => $"Last line of output:\n{tail[0]}",
            _ => $"Last {tail.Count.ToString(CultureInfo.InvariantCulture)} lines of output:\n{string.Join('\n', tail)}",
        };
        return new StepResult(false,
            $"S{what[1..]} failed with exit code {result.ExitCode.ToString(CultureInfo.InvariantCulture)}. {output}");
    }

    /// <summary>Runs one executable with a runtime plugin; what it throws becomes the step's error, naming the plugin.</summary>
    private async Task<StepResult> RunPluginRuntimeAsync(
        NamedPlugin<IRuntime> runtime, string chainId, Executable exe, string what, string workingDirectory, ChainLog log,
        ProgressFeed? feed, CancellationToken ct)
    {
        var lines = new OutputTail(_options.ErrorOutputLines);
        var context = new PluginRuntimeContext(exe, _options, workingDirectory, line =>
        {
            log.WriteOutputLine(line);
            lines.Add(line);
            feed?.Add(line);
        }, chainId, _journal);
        log.WriteLine($"=== runtime plugin '{runtime.Name}'");
        try
        {
            OutputFiles.Prepare(exe, workingDirectory);
            await runtime.Plugin.ExecuteAsync(exe, context, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.WriteLine($"=== {Now()} cancelled");
            return StepResult.WasCancelled;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var tail = lines.ToList();
            var output = tail.Count == 0 ? "" : $" Last {tail.Count.ToString(CultureInfo.InvariantCulture)} lines of output:\n{string.Join('\n', tail)}";
            var message = $"Runtime plugin '{runtime.Name}' failed to run {what}: {e.Message}{output}";
            log.WriteLine("=== " + message);
            return new StepResult(false, message);
        }
        log.WriteLine($"=== {Now()} runtime plugin '{runtime.Name}' finished");
        log.Flush();
        return StepResult.Ok;
    }

    /// <summary>
    /// Collects the outputs of every executable, calling the output adapter plugin of an output's data type where there
    /// is one; returns the error naming the plugin when one throws.
    /// </summary>
    private async Task<string?> CollectWithAdaptersAsync(
        ProcessChain chain, string workingDirectory, Dictionary<string, List<string>> results, CancellationToken ct)
    {
        var adapters = _options.Plugins.OutputAdapters;
        foreach (var exe in chain.Executables)
        {
            List<Argument>? rest = null;
            foreach (var a in exe.Arguments)
            {
                if (a.Type != ArgumentTypes.Output || !adapters.TryGetValue(a.DataType, out var adapter))
                {
                    (rest ??= []).Add(a);
                    continue;
                }
                if (!results.TryGetValue(a.Variable.Id, out var list)) results[a.Variable.Id] = list = [];
                try
                {
                    list.AddRange(await adapter.Plugin.CollectAsync(a, chain, workingDirectory, ct).ConfigureAwait(false));
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    return $"Output adapter plugin '{adapter.Name}' failed on output '{a.Id}' of service '{exe.ServiceId}' " +
                        $"(executable '{exe.Id}'): {e.Message}";
                }
            }
            if (rest is not null) OutputFiles.Collect(exe with { Arguments = rest }, workingDirectory, results);
        }
        return null;
    }

    /// <summary>Kills a container by name; bounded, and quiet (the container may not exist yet or any more).</summary>
    private static async Task KillContainerAsync(string docker, string name, string workingDirectory)
    {
        using var timeout = new CancellationTokenSource(DockerKillTimeout);
        await ProcessRunner.RunAsync(docker, ["kill", name], workingDirectory, static _ => { }, null, TimeSpan.FromSeconds(1), timeout.Token)
            .ConfigureAwait(false);
    }

    private string Now() => _options.Clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static ProcessChainOutcome Cancelled(List<string> executed) =>
        new(ProcessChainStatus.Cancelled, null, null, executed);

    private static ProcessChainOutcome Failed(string message, List<string> executed) =>
        new(ProcessChainStatus.Error, null, message, executed);

    /// <summary>How running one executable ended: fine, cancelled, or failed with a message.</summary>
    private readonly record struct StepResult(bool Cancelled, string? Error)
    {
        public static StepResult Ok => new(false, null);
        public static StepResult WasCancelled => new(true, null);
    }
}
