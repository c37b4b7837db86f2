using Steep.Core.Generator;
using Steep.Core.Serialization;

namespace Steep.Silo.Commands;

/// <summary>Turns the errors a user can cause into one clear line on stderr and exit code 1 (never a stack trace).</summary>
internal static class CommandErrors
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ModelFormatException or GeneratorException)
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
