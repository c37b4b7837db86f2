using Microsoft.Playwright;

namespace Steep.Dashboard.Tests.Support;

/// <summary>A fact that is skipped, saying why, only when Debian's chromium is not installed (CI installs it).</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (!File.Exists(Chromium))
            Skip = $"{Chromium} is missing: install Debian's chromium (apt-get install chromium; .ci/run does) to run the browser tests";
    }
}

/// <summary>Headless Debian chromium driven by Playwright (Playwright's own browser download does not work here).</summary>
public static class Browsers
{
    /// <summary>
    /// The flags this machine needs: no sandbox as root, and no background connections to Google, which the closed
    /// network refuses (each refused connection costs time at start).
    /// </summary>
    public static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    public static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.Chromium,
            Headless = true,
            Args = Args,
        });
        return (playwright, browser);
    }

    /// <summary>Where screenshots go: .build/screenshots/ in the repository (kept as test artifacts).</summary>
    public static string ScreenshotPath(string name)
    {
        var dir = Path.Combine(SteepProcess.RepositoryRoot(), ".build", "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name + ".png");
    }
}
