namespace Steep.Persistence.Search;

/// <summary>The attributes a search compares (the names of Steep's data models) and the aliases Steep accepts for them.</summary>
public static class SearchAttributes
{
    /// <summary>The item's id.</summary>
    public const string Id = "id";
    /// <summary>A submission's name.</summary>
    public const string Name = "name";
    /// <summary>The error message.</summary>
    public const string ErrorMessage = "errorMessage";
    /// <summary>The required capabilities.</summary>
    public const string RequiredCapabilities = "requiredCapabilities";
    /// <summary>A submission's workflow source.</summary>
    public const string Source = "source";
    /// <summary>The status (compared whole, not as a part).</summary>
    public const string Status = "status";
    /// <summary>The start time.</summary>
    public const string StartTime = "startTime";
    /// <summary>The end time.</summary>
    public const string EndTime = "endTime";

    /// <summary>The attributes a text term is compared with when no <c>in:</c> names them.</summary>
    public static readonly IReadOnlyList<string> Text = [Id, Name, ErrorMessage, RequiredCapabilities, Source, Status];

    /// <summary>The attributes a time term is compared with when no <c>in:</c> names them.</summary>
    public static readonly IReadOnlyList<string> Times = [StartTime, EndTime];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["id"] = Id,
        ["name"] = Name,
        ["error"] = ErrorMessage, ["errormessage"] = ErrorMessage,
        ["rc"] = RequiredCapabilities, ["cap"] = RequiredCapabilities, ["reqcap"] = RequiredCapabilities,
        ["capability"] = RequiredCapabilities, ["requiredcapability"] = RequiredCapabilities, ["rcs"] = RequiredCapabilities,
        ["caps"] = RequiredCapabilities, ["reqcaps"] = RequiredCapabilities, ["capabilities"] = RequiredCapabilities,
        ["requiredcapabilities"] = RequiredCapabilities,
        ["source"] = Source,
        ["status"] = Status,
        ["start"] = StartTime, ["starttime"] = StartTime,
        ["end"] = EndTime, ["endtime"] = EndTime,
    };

    /// <summary>
    /// Whether a term can equal a status at all (of a submission or a chain, Steep 6's PAUSED included): a search
    /// compares other terms with no status, which keeps pure text searches on the text indexes.
    /// </summary>
    public static bool IsStatus(string text) =>
        Steep.Core.Models.ProcessChainStatus.All.Contains(text.ToUpperInvariant())
        || Steep.Core.Models.SubmissionStatus.All.Contains(text.ToUpperInvariant())
        || string.Equals(text, StoreStatuses.Paused, StringComparison.OrdinalIgnoreCase);

    /// <summary>The attribute an alias (case-insensitive) stands for; null if it names none.</summary>
    public static string? Resolve(string alias) => Aliases.GetValueOrDefault(alias);

    /// <summary>Every alias, for error messages.</summary>
    public static string AllAliases => string.Join(", ", Aliases.Keys);
}
