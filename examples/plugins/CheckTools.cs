// initializer: fails start-up early, with a clear message, when a tool the other example plugins need is missing.
public sealed class CheckTools : IInitializer
{
    public Task InitializeAsync(PluginContext context, CancellationToken ct)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        bool found = path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, "nice")));
        if (!found) throw new InvalidOperationException("the 'nice' runtime needs the program nice on the PATH");
        return Task.CompletedTask;
    }
}
