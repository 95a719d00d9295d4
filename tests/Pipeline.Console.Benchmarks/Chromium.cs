using Microsoft.Playwright;

namespace Pipeline.Console.Benchmarks;

public static class Chromium
{
    /// <summary>Debian's package; CI installs it with apt (.ci/run), Playwright downloads no browser.</summary>
    public const string Path = "/usr/bin/chromium";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Path, Headless = true });
}
