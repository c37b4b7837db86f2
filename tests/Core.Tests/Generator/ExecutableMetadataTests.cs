using Steep.Core.Tests.Support;

namespace Steep.Core.Tests.Generator;

/// <summary>What a chain carries besides arguments: required capabilities and retry policies.</summary>
public sealed class ExecutableMetadataTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AChainRequiresTheUnionOfItsServicesCapabilities(bool reload)
    {
        var h = new GeneratorHarness("""
            vars:
              - {id: in, value: a.txt}
              - {id: mid}
              - {id: out}
              - {id: plain}
            actions:
              - id: first
                type: execute
                service: gpuTool
                inputs:
                  - {id: input, var: in}
                outputs:
                  - {id: output, var: mid}
              - id: second
                type: execute
                service: dockerGpuTool
                inputs:
                  - {id: input, var: mid}
                outputs:
                  - {id: output, var: out}
              - id: other
                type: execute
                service: cp
                inputs:
                  - {id: input_file, var: in}
                outputs:
                  - {id: output_file, var: plain}
            """, reload);
        var chains = h.Step();
        Assert.Equal(2, chains.Count);

        var gpuChain = chains.ChainOf("first");
        Assert.Equal(["first", "second"], gpuChain.Executables.Select(e => e.Id));
        Assert.Equal(["cuda", "docker", "gpu"], gpuChain.RequiredCapabilities.Order());
        Assert.Empty(chains.ChainOf("other").RequiredCapabilities);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnActionsRetryPolicyReplacesTheServicesWhole(bool reload)
    {
        var h = new GeneratorHarness("""
            vars:
              - {id: in, value: a.txt}
              - {id: o1}
              - {id: o2}
              - {id: o3}
            actions:
              - id: byService
                type: execute
                service: flaky
                inputs:
                  - {id: input, var: in}
                outputs:
                  - {id: output, var: o1}
              - id: byAction
                type: execute
                service: flaky
                retries:
                  maxAttempts: 7
                  delay: PT2S
                inputs:
                  - {id: input, var: in}
                outputs:
                  - {id: output, var: o2}
              - id: noPolicy
                type: execute
                service: cp
                inputs:
                  - {id: input_file, var: in}
                outputs:
                  - {id: output_file, var: o3}
            """, reload);
        var chains = h.Step();

        var service = chains.Executable("byService").Retries!;
        Assert.Equal((3, 1000L, 2, 60_000L), (service.MaxAttempts, service.Delay, service.ExponentialBackoff, service.MaxDelay));
        // nothing of the service's policy leaks into the action's: backoff and maxDelay are the defaults
        var action = chains.Executable("byAction").Retries!;
        Assert.Equal((7, 2000L, 1, (long?)null), (action.MaxAttempts, action.Delay, action.ExponentialBackoff, action.MaxDelay));
        Assert.Null(chains.Executable("noPolicy").Retries);
    }
}
