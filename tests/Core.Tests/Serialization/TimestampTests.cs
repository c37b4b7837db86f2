using System.Text.Json;
using Steep.Core.Models;
using Steep.Core.Serialization;

namespace Steep.Core.Tests.Serialization;

/// <summary>Points in time look like Steep's in every JSON document: UTC, microseconds, "Z".</summary>
public sealed class TimestampTests
{
    [Fact]
    public void Times_are_written_in_UTC_with_microseconds_and_Z()
    {
        var start = new DateTimeOffset(2020, 5, 18, 10, 44, 19, TimeSpan.FromHours(2)).AddTicks(2_214_567);
        var json = JsonSerializer.Serialize(new Submission { Id = "s", StartTime = start }, SteepJson.Options);

        Assert.Contains("\"startTime\":\"2020-05-18T08:44:19.221456Z\"", json);
        Assert.DoesNotContain("endTime", json);
    }

    [Theory]
    [InlineData("2020-05-18T08:44:19.221456Z")]
    [InlineData("2020-05-18T10:44:19.221456+02:00")]
    public void Any_ISO_8601_form_is_read(string text)
    {
        var chain = JsonSerializer.Deserialize<ProcessChain>($$"""{"id":"c","startTime":"{{text}}"}""", SteepJson.Options)!;

        Assert.Equal(new DateTimeOffset(2020, 5, 18, 8, 44, 19, TimeSpan.Zero).AddTicks(2_214_560), chain.StartTime);
    }

    [Fact]
    public void A_time_that_is_not_ISO_8601_is_rejected_with_a_message()
    {
        var e = Assert.Throws<JsonException>(() =>
            JsonSerializer.Deserialize<ProcessChain>("""{"id":"c","startTime":"yesterday"}""", SteepJson.Options));

        Assert.Contains("ISO 8601", e.Message);
    }
}
