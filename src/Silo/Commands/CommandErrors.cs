using Steep.Core.Generator;
using Steep.Core.Macros;
using Steep.Core.Serialization;
using Steep.Plugins;

namespace Steep.Silo.Commands;

/// <summary>Turns the errors a user can cause into one clear line on stderr and exit code 1 (never a stack trace).</summary>
internal static class CommandErrors
{
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (e is ModelFormatException or GeneratorException or MacroException or PluginException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("interrupted");
            return 130;
        }
    }

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ModelFormatException or GeneratorException or MacroException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
