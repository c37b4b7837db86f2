using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;
using Steep.Core.Serialization;

namespace Steep.Grains;

/// <summary>
/// How Steep's models cross grain calls. The contract types carry Orleans' generated serializers; the models of Core,
/// Persistence and Agent (process chains, outcomes, queue entries) are written as JSON with Steep's own options
/// between silos, and passed by reference inside a silo: they are immutable records, so copying them would only cost.
/// </summary>
public static class SteepSerialization
{
    /// <summary>Adds the JSON codec and the pass-by-reference copier for Steep's models.</summary>
    public static ISerializerBuilder AddSteepModels(this ISerializerBuilder builder)
    {
        builder.AddJsonSerializer(IsSteepModel, static _ => false, o => o.Configure(c => c.SerializerOptions = SteepJson.Options));
        builder.Services.AddSingleton<IGeneralizedCopier, ImmutableModelCopier>();
        return builder;
    }

    /// <summary>A record of Steep's own assemblies that has no generated serializer.</summary>
    internal static bool IsSteepModel(Type type) =>
        type.Namespace is { } ns && ns.StartsWith("Steep.", StringComparison.Ordinal) && !ns.StartsWith("Steep.Contracts", StringComparison.Ordinal)
        && type.GetCustomAttribute<GenerateSerializerAttribute>() is null && !type.IsInterface;

    private sealed class ImmutableModelCopier : IGeneralizedCopier
    {
        public object? DeepCopy(object? input, CopyContext context) => input;

        public bool IsSupportedType(Type type) => IsSteepModel(type);
    }
}
