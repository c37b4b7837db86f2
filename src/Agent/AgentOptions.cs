namespace Steep.Agent;

/// <summary>How a <see cref="LocalProcessChainExecutor"/> runs executables: directories, Docker settings, logging.</summary>
public sealed record AgentOptions
{
    /// <summary>Directory of the per-chain log files (<c>&lt;chainId&gt;.log</c>); null writes no logs.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>
    /// Directory of the records of running chains (pid and start time of their processes) that
    /// <see cref="OrphanReaper.KillLeftoversAsync"/> reads after a crash; null means <c>running</c> next to
    /// <see cref="LogDirectory"/> (<c>&lt;data&gt;/running</c>), and no records when that is null too.
    /// </summary>
    public string? RunningDirectory { get; init; }

    /// <summary>
    /// Service id to the directory its service metadata file is in: relative executable paths are resolved there
    /// (<see cref="ServiceDirectoryMap.FromFiles"/> builds it from the metadata files).
    /// </summary>
    public IReadOnlyDictionary<string, string> ServiceDirectories { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Working directory of the services and base of relative input/output paths; null means the current directory.
    /// </summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The Docker command line client: a name looked up on PATH, or a path.</summary>
    public string DockerCommand { get; init; } = "docker";

    /// <summary>Volumes mounted into every container (<c>-v</c>), e.g. <c>/data:/data</c>.</summary>
    public IReadOnlyList<string> DockerVolumes { get; init; } = [];

    /// <summary>Environment variables set in every container (<c>-e</c>), as <c>NAME=value</c> or <c>NAME</c>.</summary>
    public IReadOnlyList<string> DockerEnvironment { get; init; } = [];

    /// <summary>How many of the last output lines of a failed executable its error message quotes.</summary>
    public int ErrorOutputLines { get; init; } = 100;

    /// <summary>
    /// How long to wait, after a service exited, for its output pipes to close (a background child it left behind may
    /// keep them open).
    /// </summary>
    public TimeSpan OutputDrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Runtime, output adapter and progress estimator plugins; none by default.</summary>
    public ExecutorPlugins Plugins { get; init; } = ExecutorPlugins.None;

    /// <summary>Where progress estimator plugins put the estimates of running chains.</summary>
    public ChainProgress Progress { get; init; } = new();

    /// <summary>The clock: retry delays and log timestamps.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
