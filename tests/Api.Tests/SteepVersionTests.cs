namespace Steep.Api.Tests;

public sealed class SteepVersionTests
{
    [Fact]
    public void TheCommitComesFromTheInformationalVersionOrTheEnvironment()
    {
        var v = SteepVersion.FromAssembly(typeof(SteepVersion).Assembly, new Dictionary<string, string?>());
        Assert.Matches(@"^\d+\.\d+\.\d+", v.Version);
        Assert.DoesNotContain("+", v.Version);
        Assert.Equal("unknown", v.Build);
        Assert.True(v.Timestamp > 0);

        var withEnv = SteepVersion.FromAssembly(typeof(SteepVersion).Assembly,
            new Dictionary<string, string?> { ["STEEP_BUILD"] = "83", ["STEEP_COMMIT"] = "abc123" });
        Assert.Equal("83", withEnv.Build);
        // a commit recorded in the assembly (by the SDK from Git) wins over the environment
        Assert.Equal(v.Commit == "unknown" ? "abc123" : v.Commit, withEnv.Commit);
    }

    [Fact]
    public void WithoutAnyInformationTheFieldsSayUnknown()
    {
        var v = SteepVersion.FromAssembly(typeof(object).Assembly, new Dictionary<string, string?>());
        Assert.False(string.IsNullOrEmpty(v.Version));
        Assert.Equal("unknown", v.Build);
        Assert.False(string.IsNullOrEmpty(v.Commit));
    }
}
