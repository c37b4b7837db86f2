using System.Net;
using System.Text.Json.Nodes;
using Steep.Api.Tests.Support;
using Steep.Core.Serialization;

namespace Steep.Api.Tests;

/// <summary>POST /workflows expands include actions with the macros the server was started with (steep serve --macros).</summary>
public sealed class MacroSubmissionTests(MacroSubmissionTests.Server server) : IClassFixture<MacroSubmissionTests.Server>
{
    /// <summary>A server that knows one macro: echo its text twice.</summary>
    public sealed class Server : ApiServer
    {
        private const string Macros = """
            - id: echo_twice
              parameters:
                - {id: text, type: input, default: hello}
              actions:
                - {id: one, type: execute, service: echo, parameters: [{id: text, var: text}]}
                - {id: two, type: execute, service: echo, dependsOn: one, parameters: [{id: text, var: text}]}
            """;

        protected override void Configure(SteepApiOptions options) =>
            options.Macros = ModelReader.ReadMacros(Macros, "macros.yaml").ToDictionary(m => m.Id);
    }

    [Fact]
    public async Task AWorkflowWithAnIncludeIsExpandedStoredAndRun()
    {
        using var response = await server.Client.PostAsync("/workflows", new StringContent("""
            api: 4.7.0
            actions:
              - {id: greet, type: include, macro: echo_twice}
            """));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        var submission = JsonNode.Parse(body)!.AsObject();
        // the stored workflow is the expanded one: what runs, and what a resume reads back
        Assert.Equal("$greet$echo_twice$one", submission["workflow"]!["actions"]![0]!["id"]!.GetValue<string>());
        var done = await server.WaitForEndAsync(submission["id"]!.GetValue<string>());
        Assert.Equal("SUCCESS", done["status"]!.GetValue<string>());
        Assert.Equal(1, done["succeededProcessChains"]!.GetValue<int>());
    }

    [Fact]
    public async Task AnUnknownMacroGets400NamingIt()
    {
        using var response = await server.Client.PostAsync("/workflows", new StringContent("""
            actions:
              - {id: x, type: include, macro: nosuchmacro}
            """));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("macro 'nosuchmacro' not found", body);
        Assert.Contains("echo_twice", body);
    }
}
