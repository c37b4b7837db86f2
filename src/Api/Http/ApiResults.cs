using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Steep.Core.Serialization;

namespace Steep.Api.Http;

/// <summary>The responses of the API: models as JSON with Steep's settings, errors as plain text.</summary>
internal static class ApiResults
{
    // exactly Steep's values: its web UI compares the JSON content type with "application/json" as a whole string
    public const string TextContentType = "text/plain";
    public const string JsonContentType = "application/json";

    /// <summary>A model as JSON (Steep's field names, nulls left out).</summary>
    public static IResult Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, SteepJson.Options, JsonContentType, statusCode);

    /// <summary>A plain-text message, e.g. an error a client can fix.</summary>
    public static IResult Text(int statusCode, string message) =>
        Results.Text(message, TextContentType, statusCode: statusCode);

    /// <summary>400 with a message that says what is wrong.</summary>
    public static IResult BadRequest(string message) => Text(StatusCodes.Status400BadRequest, message);

    /// <summary>404 with a message naming what was not found.</summary>
    public static IResult NotFound(string message) => Text(StatusCodes.Status404NotFound, message);

    /// <summary>Serializes with Steep's settings (for places that build JSON by hand).</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, SteepJson.Options);
}
