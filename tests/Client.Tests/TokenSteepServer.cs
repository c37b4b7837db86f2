namespace Steep.Client.Tests;

/// <summary>A server that requires a bearer token (<c>STEEP_HTTP_TOKEN</c>).</summary>
public sealed class TokenSteepServer : SteepServer
{
    public const string Secret = "client-tests-secret";

    protected override string? Token => Secret;
}
