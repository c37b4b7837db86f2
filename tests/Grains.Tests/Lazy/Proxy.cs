using System.Reflection;

namespace Steep.Grains.Tests.Lazy;

/// <summary>Forwards every call of a store interface to the real store, with a hook before and (for tasks) after it.</summary>
// not sealed: DispatchProxy derives the proxy's runtime type from it
public class Proxy<T> : DispatchProxy where T : class
{
    private T _inner = null!;
    private Action<MethodInfo>? _before;
    private Func<MethodInfo, object?[], Task>? _after;

    public static T Wrap(T inner, Action<MethodInfo>? before = null, Func<MethodInfo, object?[], Task>? after = null)
    {
        var proxy = Create<T, Proxy<T>>();
        var p = (Proxy<T>)(object)proxy;
        (p._inner, p._before, p._after) = (inner, before, after);
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var method = targetMethod!;
        _before?.Invoke(method);
        object? result;
        try { result = method.Invoke(_inner, args); }
        catch (TargetInvocationException e) when (e.InnerException is not null) { throw e.InnerException; }
        if (_after is null || result is not Task task) return result;
        if (method.ReturnType == typeof(Task)) return Then(task, method, args ?? []);
        return result; // the hooks here only watch Task-returning writes
    }

    private async Task Then(Task task, MethodInfo method, object?[] args)
    {
        await task;
        await _after!(method, args);
    }
}
