using Steep.Core.Models;

namespace Steep.Core.Generator;

// The generator's own mutable action tree. Variables are compared by id; a variable carries its declared value
// (a string, or a List<object?> of strings and lists) when it has one.

internal sealed record GVar(string Id, object? Value);

internal abstract class GAction
{
    public required string Id { get; init; }
    public required IReadOnlyList<string> DependsOn { get; init; }

    /// <summary>Insertion order; the generator visits actions in this order, as Steep does.</summary>
    public long Seq { get; set; }

    /// <summary>True while the action belongs to the generator's pending set.</summary>
    public bool Pending { get; set; }
}

internal sealed record GInput(string Id, GVar Var);

internal sealed record GOutput(string Id, GVar Var, string? Prefix, bool Store);

internal sealed class GExec : GAction
{
    public required string Service { get; init; }
    public required IReadOnlyList<GInput> Inputs { get; init; }
    public required IReadOnlyList<GOutput> Outputs { get; init; }
    public RetryPolicy? Retries { get; init; }

    /// <summary>The action's own priority, or the one it inherits from an enclosing for-each; null: the workflow's.</summary>
    public int? Priority { get; init; }

    /// <summary>Marks the action as visited by one call of CreateProcessChains (cheaper than a set of 100,000s).</summary>
    public long VisitStamp { get; set; }
}

internal sealed class GFor : GAction
{
    public required GVar Input { get; init; }
    public required GVar Enumerator { get; init; }
    public GVar? Output { get; init; }
    public required IReadOnlyList<GAction> Actions { get; init; }
    public GVar? YieldToOutput { get; init; }
    public GVar? YieldToInput { get; init; }

    // computed once: they are looked up in every step that touches the for-each (Input and Enumerator are init-only)
    private string? _enumPositionKey, _recursiveInputKey, _tempInputKey;
    public string EnumPositionKey => _enumPositionKey ??= Input.Id + "$" + Enumerator.Id;
    public string RecursiveInputKey => _recursiveInputKey ??= Input.Id + "$" + Enumerator.Id + "$rec";
    public string TempInputKey => _tempInputKey ??= Input.Id + ProcessChainGenerator.TempSuffix;
}

/// <summary>The yielded variables a for-each output (or recursive input) still waits for, in yield order.</summary>
internal sealed class PendingCollection
{
    // the variables' ids and declared values are kept in the list itself (not as GVar objects) so that collecting one
    // reads no object beyond the list
    public List<(string Id, object? Value)> Items { get; } = [];
    public List<bool> Collected { get; } = [];
    public int Remaining { get; set; }

    public int Add(GVar v)
    {
        Items.Add((v.Id, v.Value));
        Collected.Add(false);
        Remaining++;
        return Items.Count - 1;
    }
}

/// <summary>
/// How many of a for-each's unrolled sub-actions have not been executed yet. The ids themselves are the keys of the
/// generator's sub-action index that point at this object, so marking one executed takes a single lookup.
/// </summary>
internal sealed class SubActionWait(string forEachId)
{
    public string ForEachId { get; } = forEachId;
    public int Remaining { get; set; }

    /// <summary>
    /// Set for the wait of one unrolled item (lazy unrolling only): the ids of that item's sub-actions, whose executed
    /// marks are forgotten once all of them are executed, so that the marks do not grow with the number of items.
    /// </summary>
    public string[]? ItemIds { get; init; }
}
