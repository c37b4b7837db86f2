using Orleans.Concurrency;
using Steep.Contracts;
using Steep.Core.Serialization;
using Steep.Core.Validation;

namespace Steep.Grains;

/// <summary>The Orleans clients' entry point (<see cref="ISteepGatewayGrain"/>); a stateless worker on every silo.</summary>
[StatelessWorker]
public sealed class SteepGatewayGrain(SteepServices services, SubmissionIntake intake) : Grain, ISteepGatewayGrain
{
    /// <inheritdoc />
    public async Task<SubmitResult> SubmitAsync(string workflow)
    {
        try
        {
            // includes are expanded with the silo's macros, as POST /workflows does
            var parsed = WorkflowValidator.ExpandValid(ModelReader.ReadWorkflow(workflow ?? "", "workflow"), services.Macros);
            var submission = await intake.SubmitAsync(parsed, default, workflow);
            return new SubmitResult(submission.Id, []);
        }
        catch (ModelFormatException e)
        {
            return new SubmitResult(null, [e.Message]);
        }
        catch (WorkflowRejectedException e)
        {
            return new SubmitResult(null, e.Problems.ToList());
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ProcessChainSummary>> GetProcessChainsAsync(string submissionId, int offset, int size)
    {
        var page = await services.Chains.ListAsync(submissionId, null, Math.Max(0, offset), Math.Clamp(size, 0, 10_000), false, default);
        return page.Items.Select(c => new ProcessChainSummary(c.Chain.Id, c.Chain.SubmissionId ?? submissionId, c.Chain.Status ?? "",
            c.Chain.RequiredCapabilities, c.Chain.StartTime, c.Chain.EndTime, c.AgentId, c.RunNumber, c.Chain.Results,
            c.Chain.ErrorMessage)).ToList();
    }
}
