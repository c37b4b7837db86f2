using System.Text.Json;
using Steep.Core.Models;

namespace Steep.Persistence;

/// <summary>
/// Reads the services and the input and output files out of a chain's stored executables JSON without building the
/// executables: for a graph of 10,000 chains, deserializing them all took ten times as long as reading them.
/// </summary>
internal static class ExecutablesScanner
{
    /// <summary>Services (each once, in order), input and output argument values of a JSON array of executables.</summary>
    public static (List<string> Services, List<string> Inputs, List<string> Outputs) Scan(ReadOnlySpan<byte> json)
    {
        var services = new List<string>();
        var inputs = new List<string>();
        var outputs = new List<string>();
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            // one executable: serviceId and arguments matter, everything else is skipped
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("serviceId"u8))
                {
                    reader.Read();
                    var service = reader.GetString() ?? "";
                    if (!services.Contains(service)) services.Add(service);
                }
                else if (reader.ValueTextEquals("arguments"u8))
                {
                    Expect(ref reader, JsonTokenType.StartArray);
                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject) ReadArgument(ref reader, inputs, outputs);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        return (services, inputs, outputs);
    }

    private static void ReadArgument(ref Utf8JsonReader reader, List<string> inputs, List<string> outputs)
    {
        string? type = null, value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.GetString();
            }
            else if (reader.ValueTextEquals("variable"u8))
            {
                Expect(ref reader, JsonTokenType.StartObject);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool isValue = reader.ValueTextEquals("value"u8);
                    reader.Read();
                    if (isValue && reader.TokenType == JsonTokenType.String) value = reader.GetString();
                    else reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (string.IsNullOrEmpty(value)) return;
        if (type == ArgumentTypes.Input) inputs.Add(value);
        else if (type == ArgumentTypes.Output) outputs.Add(value);
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
            throw new InvalidDataException($"Stored executables: expected {type} at byte {reader.TokenStartIndex}, found {reader.TokenType}.");
    }
}
