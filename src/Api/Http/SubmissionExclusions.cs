using Microsoft.AspNetCore.Http;
using Steep.Core.Models;

namespace Steep.Api.Http;

/// <summary>The <c>exclude</c> parameter of <c>GET /workflows/{id}</c>: which of the large parts to leave out.</summary>
internal sealed record SubmissionExclusions(bool Workflow, bool Source, bool Results)
{
    private static readonly string[] Names = ["workflow", "source", "results"];

    /// <summary>True when all three are left out: the store's summary is enough.</summary>
    public bool All => Workflow && Source && Results;

    /// <summary>Reads <c>exclude=workflow,source,results</c> (any of them, repeated or comma-separated); null and a message on an unknown name.</summary>
    public static SubmissionExclusions? Parse(IQueryCollection query, out string? error)
    {
        error = null;
        bool workflow = false, source = false, results = false;
        foreach (var value in query["exclude"])
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                switch (part.ToLowerInvariant())
                {
                    case "workflow": workflow = true; break;
                    case "source": source = true; break;
                    case "results": results = true; break;
                    default:
                        error = $"Invalid value for parameter 'exclude': '{PageQuery.Shorten(part)}'. " +
                            $"It takes a comma-separated list of {string.Join(", ", Names)}";
                        return null;
                }
            }
        }
        return new SubmissionExclusions(workflow, source, results);
    }

    /// <summary>The submission without the excluded parts; name and priority stay (they default to the workflow's).</summary>
    public Submission Apply(Submission s) => s with
    {
        Name = s.Name,
        Priority = s.Priority,
        Workflow = Workflow ? null : s.Workflow,
        Source = Source ? null : s.Source,
        Results = Results ? null : s.Results,
    };
}
