using System.Collections.Concurrent;

namespace Steep.Grains.Runtime;

/// <summary>
/// Activations of a grain class with this attribute are never deactivated for being idle (as Orleans' KeepAlive):
/// for grains whose state lives only in memory, such as the scheduler's queue or an agent's running chain. They still
/// end when the runtime stops or when the grain asks with <c>DeactivateOnIdle</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class KeepAliveAttribute : Attribute
{
    private static readonly ConcurrentDictionary<Type, bool> ByType = new();

    /// <summary>Whether grains of <paramref name="type"/> stay active when idle.</summary>
    internal static bool IsOn(Type type) => ByType.GetOrAdd(type, static t => IsDefined(t, typeof(KeepAliveAttribute), inherit: true));
}
