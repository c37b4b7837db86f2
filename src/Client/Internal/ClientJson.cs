using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Steep.Client.Internal;

/// <summary>The JSON settings of the client: Steep's field names (on the models), nulls left out when writing.</summary>
internal static class ClientJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            AllowTrailingCommas = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            // the server may write an action's "type" after other fields
            AllowOutOfOrderMetadataProperties = true,
        };
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
