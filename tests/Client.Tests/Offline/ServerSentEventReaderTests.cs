using Steep.Client.Events;
using Steep.Client.Internal;

namespace Steep.Client.Tests.Offline;

/// <summary>The SSE parser against the rules of the HTML standard, without a server.</summary>
public sealed class ServerSentEventReaderTests
{
    private static async Task<List<ServerSentEvent>> ReadAllAsync(string text)
    {
        var reader = new ServerSentEventReader(new StringReader(text));
        var list = new List<ServerSentEvent>();
        while (await reader.ReadAsync(CancellationToken.None) is { } e) list.Add(e);
        return list;
    }

    [Fact]
    public async Task Events_comments_and_line_endings()
    {
        var events = await ReadAllAsync(
            ": connected\n\n" +
            "event: submission\ndata: {\"id\":\"a\"}\n\n" +
            "event:agent\r\ndata:{\"id\":\"b\"}\r\n\r\n" +   // no space after the colon, CRLF
            ": keep-alive\n\n" +
            "data: one\ndata: two\n\n" +                     // no event name: "message", data lines joined
            "event: x\n\n" +                                 // no data: not dispatched
            "id: 7\nevent: y\ndata\n\n" +                    // "data" without a colon is an empty line of data
            "data: unfinished");                             // no blank line at the end: dropped
        Assert.Equal(
            [
                new ServerSentEvent("submission", "{\"id\":\"a\"}", null),
                new ServerSentEvent("agent", "{\"id\":\"b\"}", null),
                new ServerSentEvent("message", "one\ntwo", null),
                new ServerSentEvent("y", "", "7"),
            ],
            events);
    }

    [Fact]
    public async Task Unknown_fields_are_ignored_and_only_one_leading_space_is_removed()
    {
        var events = await ReadAllAsync("retry: 1000\nfoo: bar\nevent: e\ndata:   indented\n\n");
        Assert.Equal([new ServerSentEvent("e", "  indented", null)], events);
    }

    [Fact]
    public void Known_events_are_typed_and_others_kept_as_they_are()
    {
        var s = Assert.IsType<SubmissionEvent>(EventDecoder.Decode(new ServerSentEvent("submission",
            """{"id":"s1","status":"SUCCESS","runningProcessChains":0,"cancelledProcessChains":0,"succeededProcessChains":3,"failedProcessChains":1,"totalProcessChains":4}""", null)));
        Assert.Equal(("s1", "SUCCESS", 3, 1, 4, true), (s.SubmissionId, s.Status, s.SucceededProcessChains, s.FailedProcessChains, s.TotalProcessChains, s.IsFinal));
        Assert.Equal("submission", s.Type);

        var c = Assert.IsType<ProcessChainEvent>(EventDecoder.Decode(new ServerSentEvent("processChain",
            """{"id":"c1","submissionId":"s1","status":"SUCCESS","agentId":"a1","serviceId":"cp","durationMillis":12}""", null)));
        Assert.Equal(("c1", "s1", "a1", "cp", 12L), (c.ProcessChainId, c.SubmissionId, c.AgentId, c.ServiceId, c.DurationMillis));

        var a = Assert.IsType<AgentEvent>(EventDecoder.Decode(new ServerSentEvent("agent", """{"id":"a1","state":"busy","processChainId":"c1"}""", null)));
        Assert.Equal(("a1", "busy", "c1"), (a.AgentId, a.State, a.ProcessChainId));

        var unknown = Assert.IsType<UnknownEvent>(EventDecoder.Decode(new ServerSentEvent("vm", "{}", null)));
        Assert.Equal(("vm", "{}"), (unknown.Type, unknown.Data));
        var broken = Assert.IsType<UnknownEvent>(EventDecoder.Decode(new ServerSentEvent("submission", "not json", null)));
        Assert.Equal("not json", broken.Data);
    }
}
