namespace Steep.Persistence.Search;

/// <summary>The kinds of items a search finds, as Steep names them in results (<c>type</c>) and counts.</summary>
public static class SearchTypes
{
    /// <summary>A submission (<c>is:workflow</c>).</summary>
    public const string Workflow = "workflow";
    /// <summary>A process chain (<c>is:processchain</c>).</summary>
    public const string ProcessChain = "processChain";
}
