using Steep.Core.Serialization;

namespace Steep.Agent;

/// <summary>Builds <see cref="AgentOptions.ServiceDirectories"/> from the service metadata files.</summary>
public static class ServiceDirectoryMap
{
    /// <summary>
    /// Reads the service metadata files (YAML or JSON) and maps each service id to the absolute directory of the file
    /// that defines it; when several files define a service, the last one wins, as in <see cref="ModelReader.ReadServiceFiles"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FromFiles(IEnumerable<string> paths)
    {
        var map = new Dictionary<string, string>();
        foreach (var path in paths)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            foreach (var s in ModelReader.ReadServices(File.ReadAllText(path), path)) map[s.Id] = dir;
        }
        return map;
    }
}
