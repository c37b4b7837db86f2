using Steep.Core.Macros;
using Steep.Core.Models;

namespace Steep.Core.Validation;

public static partial class WorkflowValidator
{
    /// <summary>
    /// The workflow to submit: itself when it has no include actions (the submission validates it as a whole);
    /// otherwise it is validated against <paramref name="macros"/> before anything is expanded (include problems name the
    /// user's own actions, and Steep's rules apply to what the user wrote), then expanded. Services are checked by the
    /// submission, on the expanded workflow.
    /// </summary>
    /// <exception cref="WorkflowRejectedException">the workflow or its includes have problems.</exception>
    public static Workflow ExpandValid(Workflow workflow, IReadOnlyDictionary<string, Macro> macros)
    {
        if (workflow.MacrosExpanded || !MacroPreprocessor.HasIncludes(workflow.Actions)) return workflow;
        var problems = Validate(workflow, services: null, macros);
        if (problems.Count > 0) throw new WorkflowRejectedException(problems);
        return MacroPreprocessor.Expand(workflow, macros);
    }
}
