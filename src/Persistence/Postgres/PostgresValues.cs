using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Steep.Core.Serialization;

namespace Steep.Persistence.Postgres;

/// <summary>Conversions between model values and PostgreSQL parameters and columns.</summary>
internal static class PostgresValues
{
    /// <summary>A positional parameter with an explicit type: a null value would otherwise leave the type to the server's guess.</summary>
    public static NpgsqlParameter Parameter(object? value, NpgsqlDbType type) =>
        new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    public static NpgsqlParameter Text(string? value) => Parameter(value, NpgsqlDbType.Text);

    public static NpgsqlParameter Bigint(long value) => Parameter(value, NpgsqlDbType.Bigint);

    public static NpgsqlParameter Integer(int? value) => Parameter(value, NpgsqlDbType.Integer);

    public static NpgsqlParameter Bytes(byte[] value) => Parameter(value, NpgsqlDbType.Bytea);

    public static NpgsqlParameter TextArray(IReadOnlyList<string> value) => Parameter(value as string[] ?? value.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);

    /// <summary>A json parameter sent as its UTF-8 bytes: no UTF-16 string in between.</summary>
    public static NpgsqlParameter Json<T>(T? value) where T : class =>
        Parameter(value is null ? null : Utf8Json(value), NpgsqlDbType.Json);

    /// <summary>timestamptz keeps the instant at microseconds; Npgsql accepts only offset 0 for it.</summary>
    public static NpgsqlParameter Time(DateTimeOffset? value) =>
        Parameter(value?.ToUniversalTime(), NpgsqlDbType.TimestampTz);

    public static byte[] Utf8Json<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, SteepJson.Options);

    // json columns are read as their UTF-8 bytes (the binary format of json is the text itself).
    public static T FromJson<T>(NpgsqlDataReader reader, int ordinal) =>
        JsonSerializer.Deserialize<T>(reader.GetFieldValue<byte[]>(ordinal), SteepJson.Options)
        ?? throw new InvalidDataException($"Column '{reader.GetName(ordinal)}' holds JSON null.");

    public static T? FromJsonOrNull<T>(NpgsqlDataReader reader, int ordinal) where T : class =>
        reader.IsDBNull(ordinal) ? null : FromJson<T>(reader, ordinal);

    public static DateTimeOffset? Time(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static string? StringOrNull(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
