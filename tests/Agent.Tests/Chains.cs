using Steep.Core.Models;

namespace Steep.Agent.Tests;

/// <summary>Small builders for process chains in tests.</summary>
internal static class Chains
{
    private static int _next;

    public static ProcessChain Of(params Executable[] executables) =>
        new() { Id = "chain" + Interlocked.Increment(ref _next), Executables = executables };

    public static Executable Exe(string path, params Argument[] arguments) => new()
    {
        Id = "exe" + Interlocked.Increment(ref _next), Path = path, ServiceId = "svc", Arguments = arguments,
    };

    public static Argument Input(string value, string? label = null, string dataType = DataTypes.String) =>
        new() { Id = "in", Label = label, Variable = new("v" + Interlocked.Increment(ref _next), value), Type = ArgumentTypes.Input, DataType = dataType };

    public static Argument Param(string value, string? label = null, string dataType = DataTypes.String) =>
        new() { Id = "p", Label = label, Variable = new("v" + Interlocked.Increment(ref _next), value), Type = ArgumentTypes.Argument, DataType = dataType };

    public static Argument Output(string varId, string value, string dataType = "file") =>
        new() { Id = "out", Variable = new(varId, value), Type = ArgumentTypes.Output, DataType = dataType };
}
