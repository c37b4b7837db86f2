using Steep.Core.Models;

namespace Steep.Agent;

/// <summary>
/// Makes a service's program path independent of the directory steep runs in, so that a stored submission runs the
/// same program wherever and whenever it is resumed.
/// </summary>
public static class ServicePaths
{
    /// <summary>
    /// For runtime <c>other</c>: a path with a '/' becomes absolute against <paramref name="serviceDirectory"/> (the
    /// folder of the metadata file), a bare name too when an executable file of that name is there (as the agent would
    /// find it); other names stay for a PATH lookup. Other runtimes (Docker images) are left alone.
    /// </summary>
    public static Service Resolve(Service service, string? serviceDirectory)
    {
        if (serviceDirectory is null || service.Runtime != "other" || service.Path.Length == 0 || Path.IsPathRooted(service.Path))
            return service;
        if (service.Path.Contains('/')) return service with { Path = Path.GetFullPath(service.Path, serviceDirectory) };
        var local = Path.Combine(serviceDirectory, service.Path);
        return ProgramResolver.IsExecutableFile(local) ? service with { Path = local } : service;
    }
}
