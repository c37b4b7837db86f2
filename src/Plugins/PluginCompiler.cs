using System.Collections.Immutable;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Text;
using Steep.Core.Models;

namespace Steep.Plugins;

/// <summary>
/// Compiles C# plugin files with Roslyn into assemblies kept in a cache folder under the SHA-256 of everything that
/// decides the output (the source, the file kind, the plugin API and model assemblies, the compiler). A cache hit
/// loads the stored assembly and never loads the compiler.
/// </summary>
internal sealed class PluginCompiler(string cacheDirectory)
{
    /// <summary>Namespaces every plugin file may use without a <c>using</c> (and the usual ones).</summary>
    private static readonly string[] Imports =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Threading", "System.Threading.Tasks",
        "Steep.Core.Models", "Steep.Plugins",
    ];

    private static readonly Lazy<string> Environment = new(() =>
        string.Join('|', typeof(PluginApi).Assembly.ManifestModule.ModuleVersionId, typeof(Workflow).Assembly.ManifestModule.ModuleVersionId,
            PluginApi.Version, "roslyn"));

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>How many files came from the cache / were compiled, since this compiler was made.</summary>
    public int CacheHits { get; private set; }

    /// <inheritdoc cref="CacheHits" />
    public int Compiled { get; private set; }

    /// <summary>The path of the compiled assembly of <paramref name="sourceFile"/>, compiling it unless cached.</summary>
    /// <exception cref="PluginException">the file does not compile (every error with file, line and message).</exception>
    public string Compile(string sourceFile, string pluginName)
    {
        var text = File.ReadAllText(sourceFile);
        bool script = sourceFile.EndsWith(".csx", StringComparison.OrdinalIgnoreCase);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Environment.Value}|{(script ? "csx" : "cs")}|{text}")));
        var target = Path.Combine(cacheDirectory, hash + ".dll");
        if (File.Exists(target))
        {
            CacheHits++;
            return target;
        }

        var assemblyName = "steep-plugin-" + hash[..16];
        var compilation = script ? ScriptCompilation(text, sourceFile, assemblyName) : LibraryCompilation(text, sourceFile, assemblyName);
        using var peStream = new MemoryStream();
        var emitted = compilation.Emit(peStream);
        if (!emitted.Success)
        {
            var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).OrderBy(d => d.Location.SourceSpan.Start).Take(20).Select(Describe);
            throw new PluginException($"plugin '{pluginName}' does not compile:\n{string.Join('\n', errors)}");
        }
        Directory.CreateDirectory(cacheDirectory);
        // written aside and moved: a steep starting at the same time never loads half a file
        var temp = target + "." + System.Environment.ProcessId + ".tmp";
        File.WriteAllBytes(temp, peStream.ToArray());
        File.Move(temp, target, overwrite: true);
        Compiled++;
        return target;
    }

    private static Compilation LibraryCompilation(string text, string file, string assemblyName)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var tree = CSharpSyntaxTree.ParseText(SourceText.From(text, Encoding.UTF8), parse, file);
        var globalUsings = CSharpSyntaxTree.ParseText(string.Concat(Imports.Select(i => $"global using {i};\n")), parse, "<steep-usings>");
        return CSharpCompilation.Create(assemblyName, [globalUsings, tree], References.Value, new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));
    }

    private static Compilation ScriptCompilation(string text, string file, string assemblyName)
    {
        var options = ScriptOptions.Default.WithReferences(References.Value).WithImports(Imports).WithFilePath(file)
            .WithOptimizationLevel(OptimizationLevel.Release).WithEmitDebugInformation(false);
        return CSharpScript.Create(text, options).GetCompilation().WithAssemblyName(assemblyName);
    }

    private static string Describe(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        var where = d.Location.IsInSource ? $"{span.Path}:{span.StartLinePosition.Line + 1}:{span.StartLinePosition.Character + 1}" : "(no file)";
        return $"{where}: error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>The framework's assemblies (from the host's trusted list), the plugin API and the models.</summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
        {
            foreach (var p in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var name = Path.GetFileNameWithoutExtension(p);
                if (name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "netstandard" or "mscorlib" or "Microsoft.Win32.Primitives")
                    paths.Add(p);
            }
        }
        foreach (var a in new[] { typeof(PluginApi).Assembly, typeof(Workflow).Assembly, typeof(object).Assembly })
        {
            if (a.Location.Length > 0) paths.Add(a.Location);
        }
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
