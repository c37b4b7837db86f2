using System.Globalization;

namespace Steep.Agent;

/// <summary>The file name of a process chain run's log, shared by the agent that writes it and the API that serves it.</summary>
public static class ChainLogFileName
{
    private static readonly char[] Invalid = Path.GetInvalidFileNameChars();

    /// <summary>
    /// The first run's log is <c>&lt;id&gt;.log</c> (as before runs existed), a later run's <c>&lt;id&gt;.&lt;runNumber&gt;.log</c>,
    /// so that a retry or a resume after a crash keeps the earlier runs' logs as they were. Ids are generated, but
    /// characters that cannot be in a file name are replaced, so that no id escapes the log folder.
    /// </summary>
    public static string Of(string chainId, int runNumber)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        var safe = chainId.Length == 0 ? "_" : string.Create(chainId.Length, chainId, (span, id) =>
        {
            for (int i = 0; i < id.Length; i++) span[i] = Array.IndexOf(Invalid, id[i]) >= 0 ? '_' : id[i];
        });
        if (safe is "." or "..") safe = "_" + safe;
        return runNumber <= 1 ? safe + ".log" : safe + "." + runNumber.ToString(CultureInfo.InvariantCulture) + ".log";
    }
}
