namespace Steep.Plugins.Tests;

/// <summary>A temporary steep home for one test: descriptor and plugin files written into it, a data directory below it.</summary>
internal sealed class PluginDir : IDisposable
{
    public PluginDir()
    {
        Path = Directory.CreateTempSubdirectory("steep-plugin-tests-").FullName;
    }

    public string Path { get; }

    public string Cache => System.IO.Path.Combine(Path, "data", "plugins");

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public string Write(string name, string text)
    {
        var file = this[name];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
        return file;
    }

    public string Script(string name, string body)
    {
        var file = Write(name, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return file;
    }

    /// <summary>Loads the plugins of the descriptor file <paramref name="descriptors"/> with this folder as home.</summary>
    public PluginSet Load(string descriptors = "plugins.yaml") =>
        PluginLoader.Load(PluginLoader.DescriptorFiles(Path, descriptors), Path, Cache);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a process may still be releasing a file; the OS cleans temp eventually
        }
    }
}
