// the tests run real POSIX processes (/bin/sh scripts) and compile C# with Roslyn
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
