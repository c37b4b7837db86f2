namespace Steep.Silo.Hosting;

/// <summary>Another steep process works on the data directory.</summary>
public sealed class DataDirectoryInUseException(string dataDirectory, int? holder) : IOException(
    $"the data directory {dataDirectory} is in use by another steep process{(holder is > 0 ? $" (process {holder})" : "")}; " +
    "wait for it to end, stop it, or use another --data directory")
{
    /// <summary>The data directory.</summary>
    public string DataDirectory { get; } = dataDirectory;

    /// <summary>The process id of the holder, when it could be read.</summary>
    public int? Holder { get; } = holder;
}
