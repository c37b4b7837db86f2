using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Steep.Core.Serialization;

namespace Steep.Persistence.Sqlite;

/// <summary>Conversions between model values and SQLite column values.</summary>
internal static class SqliteValues
{
    public static object Json<T>(T? value) where T : class =>
        value is null ? DBNull.Value : JsonSerializer.Serialize(value, SteepJson.Options);

    /// <summary>UTF-8 JSON, for a parameter the statement casts to TEXT.</summary>
    public static byte[] Utf8Json<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, SteepJson.Options);

    // TEXT columns are read as their UTF-8 bytes: no UTF-16 string in between.
    public static T FromJson<T>(SqliteDataReader reader, int ordinal) =>
        JsonSerializer.Deserialize<T>(reader.GetFieldValue<byte[]>(ordinal), SteepJson.Options)
        ?? throw new InvalidDataException($"Column '{reader.GetName(ordinal)}' holds JSON null.");

    public static T? FromJsonOrNull<T>(SqliteDataReader reader, int ordinal) where T : class =>
        reader.IsDBNull(ordinal) ? null : FromJson<T>(reader, ordinal);

    // Text in the round-trip format keeps the offset and full precision; the store never compares times in SQL.
    public static object Time(DateTimeOffset? value) =>
        value is { } t ? t.ToString("O", CultureInfo.InvariantCulture) : DBNull.Value;

    public static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal)
            ? null
            : DateTimeOffset.ParseExact(reader.GetString(ordinal), "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public static object Value(object? value) => value ?? DBNull.Value;

    public static string? StringOrNull(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static int IntOrZero(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? 0 : reader.GetInt32(ordinal);
}
