using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Steep.Core.Serialization;

/// <summary>The JSON settings of Steep's public data models.</summary>
public static class SteepJson
{
    /// <summary>Compact output, nulls omitted, non-ASCII and path characters written as they are.</summary>
    public static readonly JsonSerializerOptions Options = Create(indented: false);

    /// <summary>Like <see cref="Options"/> but indented, for humans.</summary>
    public static readonly JsonSerializerOptions Indented = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var o = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            WriteIndented = indented,
            AllowTrailingCommas = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            // a JSON null for a property the models declare non-nullable (a list, an id) is a read error naming the
            // field, instead of a null that the validator or generator later trips over
            RespectNullableAnnotations = true,
        };
        o.Converters.Add(new UtcTimestampConverter());
        o.Converters.Add(new NonNullListConverterFactory());
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
