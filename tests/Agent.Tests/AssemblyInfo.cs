// the tests run real POSIX processes (/bin/sh scripts, cp, sleep) and read /proc
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
