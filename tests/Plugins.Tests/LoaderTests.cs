using System.Diagnostics;
using Xunit.Abstractions;

namespace Steep.Plugins.Tests;

/// <summary>Compiling, caching and instantiating plugins; initializers in dependsOn order.</summary>
public sealed class LoaderTests(ITestOutputHelper output)
{
    private const string Initializer = """
        public sealed class {0} : IInitializer
        {{
            public Task InitializeAsync(PluginContext context, CancellationToken ct)
            {{
                File.AppendAllText(Path.Combine(context.DataDirectory, "order.txt"), "{0}\n");
                return Task.CompletedTask;
            }}
        }}
        """;

    [Fact]
    public async Task Initializers_run_in_dependsOn_order()
    {
        using var dir = new PluginDir();
        foreach (var n in new[] { "First", "Second", "Third" }) dir.Write(n + ".cs", string.Format(Initializer, n));
        dir.Write("plugins.yaml", """
            - {name: third, type: initializer, scriptFile: Third.cs, dependsOn: [second]}
            - {name: second, type: initializer, scriptFile: Second.cs, dependsOn: [first]}
            - {name: first, type: initializer, scriptFile: First.cs}
            """);
        var plugins = dir.Load();
        Directory.CreateDirectory(dir["data"]);
        await plugins.InitializeAsync(new PluginContext(dir.Path, dir["data"]), default);
        Assert.Equal("First\nSecond\nThird\n", File.ReadAllText(dir["data/order.txt"]));
    }

    [Fact]
    public async Task A_failing_initializer_stops_with_its_name()
    {
        using var dir = new PluginDir();
        dir.Write("Boom.cs", """
            public sealed class Boom : IInitializer
            {
                public Task InitializeAsync(PluginContext context, CancellationToken ct) => throw new InvalidOperationException("no licence server");
            }
            """);
        dir.Write("plugins.yaml", "- {name: boom, type: initializer, scriptFile: Boom.cs}");
        var e = await Assert.ThrowsAsync<PluginException>(() => dir.Load().InitializeAsync(new PluginContext(dir.Path, dir.Path), default));
        Assert.Equal("initializer plugin 'boom' failed: no licence server", e.Message);
    }

    [Fact]
    public void A_compile_error_names_file_line_column_and_message()
    {
        using var dir = new PluginDir();
        var file = dir.Write("Broken.cs", """
            public sealed class Broken : IInitializer
            {
                public Task InitializeAsync(PluginContext context, CancellationToken ct)
                {
                    return Task.CompletedTask
                }
            }
            """);
        dir.Write("plugins.yaml", "- {name: broken, type: initializer, scriptFile: Broken.cs}");
        var e = Assert.Throws<PluginException>(() => dir.Load());
        Assert.Contains("plugin 'broken' does not compile", e.Message);
        Assert.Contains($"{file}:5:34: error CS1002: ; expected", e.Message);
        Assert.False(Directory.Exists(dir.Cache) && Directory.EnumerateFiles(dir.Cache).Any(), "nothing is cached for a file that does not compile");
    }

    [Fact]
    public void A_csx_compile_error_names_the_line_too()
    {
        using var dir = new PluginDir();
        var file = dir.Write("broken.csx", "public sealed class X : IInitializer\n{\n    public Task InitializeAsync(PluginContext c, CancellationToken ct) => NoSuchThing();\n}\n");
        dir.Write("plugins.yaml", "- {name: broken, type: initializer, scriptFile: broken.csx}");
        var e = Assert.Throws<PluginException>(() => dir.Load());
        Assert.Contains($"{file}:3:", e.Message);
        Assert.Contains("error CS0103: The name 'NoSuchThing' does not exist in the current context", e.Message);
    }

    [Fact]
    public void A_file_without_a_class_of_the_type_is_named()
    {
        using var dir = new PluginDir();
        dir.Write("Wrong.cs", "public sealed class Wrong : IInitializer { public Task InitializeAsync(PluginContext c, CancellationToken ct) => Task.CompletedTask; }");
        dir.Write("plugins.yaml", "- {name: wrong, type: runtime, scriptFile: Wrong.cs, supportedRuntime: x}");
        var e = Assert.Throws<PluginException>(() => dir.Load());
        Assert.Contains("no class implements Steep.Plugins.IRuntime", e.Message);
        Assert.Contains("('wrong')", e.Message);
    }

    [Fact]
    public void Compiled_assemblies_are_cached_by_content_and_a_change_compiles_again()
    {
        using var dir = new PluginDir();
        dir.Write("A.cs", string.Format(Initializer, "A"));
        dir.Write("plugins.yaml", "- {name: a, type: initializer, scriptFile: A.cs}");
        var first = dir.Load();
        Assert.Equal((1, 0), (first.Compiled, first.CacheHits));
        var second = dir.Load();
        Assert.Equal((0, 1), (second.Compiled, second.CacheHits));
        dir.Write("A.cs", string.Format(Initializer, "A") + "\n// changed\n");
        var third = dir.Load();
        Assert.Equal((1, 0), (third.Compiled, third.CacheHits));
        Assert.Equal(2, Directory.EnumerateFiles(dir.Cache, "*.dll").Count());
    }

    [Fact]
    public void An_assembly_plugin_is_loaded_as_it_is()
    {
        using var dir = new PluginDir();
        dir.Write("A.cs", string.Format(Initializer, "FromDll"));
        dir.Write("compile.yaml", "- {name: a, type: initializer, scriptFile: A.cs}");
        dir.Load("compile.yaml");
        var dll = Directory.EnumerateFiles(dir.Cache, "*.dll").Single();
        File.Copy(dll, dir["FromDll.dll"]);
        dir.Write("plugins.yaml", "- {name: fromDll, type: initializer, scriptFile: FromDll.dll}");
        var plugins = dir.Load();
        Assert.Equal((0, 0), (plugins.Compiled, plugins.CacheHits));
        Assert.Equal("FromDll", plugins.Initializers.Single().Plugin.GetType().Name);
    }

    /// <summary>The figure in the README: the example plugins, compiled once and then loaded from the cache.</summary>
    [Fact]
    public void The_example_plugins_load_from_the_cache_within_a_second()
    {
        var root = Root();
        var cache = Directory.CreateTempSubdirectory("steep-plugin-cache-").FullName;
        try
        {
            var files = PluginLoader.DescriptorFiles(root, "examples/plugins/plugins.yaml");
            var watch = Stopwatch.StartNew();
            var compiled = PluginLoader.Load(files, root, cache);
            var compileTime = watch.Elapsed;
            Assert.Equal(7, compiled.Compiled);
            watch.Restart();
            var cached = PluginLoader.Load(files, root, cache);
            var cachedTime = watch.Elapsed;
            Assert.Equal(7, cached.CacheHits);
            Assert.Equal((2, 1, 1, 1), (cached.Initializers.Count, cached.Executor.Runtimes.Count, cached.Executor.OutputAdapters.Count,
                cached.Executor.ProgressEstimators.Count));
            Assert.True(cached.Generator is { HasAdapters: true });
            output.WriteLine($"7 example plugins: compiled in {compileTime.TotalMilliseconds:F0} ms, from the cache in {cachedTime.TotalMilliseconds:F0} ms");
            Assert.True(cachedTime < TimeSpan.FromSeconds(1), $"loading the cached example plugins took {cachedTime.TotalMilliseconds:F0} ms");
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    internal static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Steep.Orleans.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
