// initializer (after checkTools): sets an environment variable that every service started by this steep inherits.
public sealed class SetGreeting : IInitializer
{
    public Task InitializeAsync(PluginContext context, CancellationToken ct)
    {
        Environment.SetEnvironmentVariable("STEEP_EXAMPLE_GREETING", "hello from the setGreeting initializer");
        return Task.CompletedTask;
    }
}
