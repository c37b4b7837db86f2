using Microsoft.Data.Sqlite;

namespace Steep.Persistence.Sqlite;

/// <summary>A command on the writer connection, prepared once and executed many times with positional values.</summary>
internal sealed class PreparedStatement : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;

    /// <summary>Prepares <paramref name="sql"/>; <paramref name="parameterNames"/> gives the order of the values passed later.</summary>
    public PreparedStatement(SqliteConnection connection, string sql, params ReadOnlySpan<string> parameterNames)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        _parameters = new SqliteParameter[parameterNames.Length];
        for (int i = 0; i < parameterNames.Length; i++)
        {
            _parameters[i] = new SqliteParameter { ParameterName = parameterNames[i], Value = DBNull.Value };
            _command.Parameters.Add(_parameters[i]);
        }
        _command.Prepare();
    }

    /// <summary>Runs the statement (in the transaction the writer has begun, if any); returns the number of changed rows.</summary>
    public Task<int> ExecuteAsync(CancellationToken ct, params ReadOnlySpan<object?> values)
    {
        Bind(values);
        return _command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Runs the statement; returns the first column of the first row, or null.</summary>
    public async Task<object?> ScalarAsync(CancellationToken ct, params object?[] values)
    {
        Bind(values);
        var result = await _command.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return result is DBNull ? null : result;
    }

    /// <summary>Runs the statement and returns a reader over its rows.</summary>
    public Task<SqliteDataReader> ReaderAsync(CancellationToken ct, params ReadOnlySpan<object?> values)
    {
        Bind(values);
        return _command.ExecuteReaderAsync(ct);
    }

    /// <inheritdoc />
    public void Dispose() => _command.Dispose();

    private void Bind(ReadOnlySpan<object?> values)
    {
        if (values.Length != _parameters.Length)
            throw new ArgumentException($"Expected {_parameters.Length} values, got {values.Length}.", nameof(values));
        for (int i = 0; i < values.Length; i++) _parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
