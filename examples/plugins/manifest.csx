// output adapter for the data type "manifest": the service writes a text file listing its result files, one per
// line; the output's values are those files (relative lines are relative to the manifest's folder).
public sealed class Manifest : IOutputAdapter
{
    public async Task<IReadOnlyList<string>> CollectAsync(Argument output, ProcessChain processChain, string workingDirectory, CancellationToken ct)
    {
        var manifest = Path.GetFullPath(output.Variable.Value, workingDirectory);
        var folder = Path.GetDirectoryName(manifest)!;
        var lines = await File.ReadAllLinesAsync(manifest, ct);
        return lines.Where(l => l.Trim().Length > 0).Select(l => Path.GetFullPath(l.Trim(), folder)).ToList();
    }
}
