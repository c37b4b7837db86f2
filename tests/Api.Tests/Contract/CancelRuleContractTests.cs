using Steep.Api.Tests.Support;

namespace Steep.Api.Tests.Contract;

/// <summary>
/// Issue 15, point 7: the final status of a submission whose chains were cancelled, as Steep 6.9's Controller.kt
/// decides it. When the generator has finished: any cancelled chain makes the submission CANCELLED (whatever else
/// failed); else no failed chain → SUCCESS, all failed → ERROR "All process chains failed", some → PARTIAL_SUCCESS.
/// When it has not finished: any cancelled chain → CANCELLED; else ERROR. The rule lives in SubmissionGrain
/// (being moved onto Orleans), so these tests wait for it.
/// </summary>
public sealed class CancelRuleContractTests(ContractServer server) : IClassFixture<ContractServer>
{
    private const string SleepAndEcho = """
        api: 4.0.0
        vars:
          - {id: s, value: 30}
          - {id: t, value: hello}
        actions:
          - type: execute
            service: sleep
            parameters: [{id: seconds, var: s}]
          - type: execute
            service: echo
            parameters: [{id: text, var: t}]
        """;

    private const string SleepAndFail = """
        api: 4.0.0
        vars:
          - {id: s, value: 30}
        actions:
          - type: execute
            service: sleep
            parameters: [{id: seconds, var: s}]
          - type: execute
            service: fail
        """;

    private async Task<string> CancelTheSleepingChainAsync(string submissionId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            foreach (var c in await server.GetArrayAsync($"/processchains?submissionId={submissionId}&status=RUNNING"))
            {
                var full = await server.GetJsonAsync($"/processchains/{c!["id"]!.GetValue<string>()}");
                if (full["executables"]![0]!["serviceId"]?.GetValue<string>() != "sleep") continue;
                using var put = await server.Client.PutAsync($"/processchains/{full["id"]!.GetValue<string>()}", ApiServer.Json("""{"status": "CANCELLED"}"""));
                Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
                return full["id"]!.GetValue<string>();
            }
            Assert.True(DateTime.UtcNow < deadline, "the sleep chain did not start");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task CancellingTheOnlyChainCancelsTheSubmission()
    {
        var id = (await server.SubmitAsync(ApiServer.SleepWorkflow(30)))["id"]!.GetValue<string>();
        await CancelTheSleepingChainAsync(id);
        var done = await server.WaitForEndAsync(id);
        Assert.Equal("CANCELLED", done["status"]!.GetValue<string>());
        Assert.Equal(1, done["cancelledProcessChains"]!.GetValue<int>());
        Assert.Null(done["errorMessage"]);
    }

    [Fact]
    public async Task ACancelledChainNextToASucceededOneCancelsTheSubmission()
    {
        var id = (await server.SubmitAsync(SleepAndEcho))["id"]!.GetValue<string>();
        await CancelTheSleepingChainAsync(id);
        var done = await server.WaitForEndAsync(id);
        Assert.Equal("CANCELLED", done["status"]!.GetValue<string>());
        Assert.Equal((1, 1), (done["cancelledProcessChains"]!.GetValue<int>(), done["succeededProcessChains"]!.GetValue<int>()));
    }

    [Fact]
    public async Task ACancelledChainWinsOverAFailedOne()
    {
        var id = (await server.SubmitAsync(SleepAndFail))["id"]!.GetValue<string>();
        await CancelTheSleepingChainAsync(id);
        var done = await server.WaitForEndAsync(id);
        Assert.Equal("CANCELLED", done["status"]!.GetValue<string>());
        Assert.Equal((1, 1), (done["cancelledProcessChains"]!.GetValue<int>(), done["failedProcessChains"]!.GetValue<int>()));
        Assert.Null(done["errorMessage"]);
    }
}
