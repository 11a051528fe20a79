using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace NeuralFit.Tests.Reports;

/// <summary>Debian's headless Chromium, when installed (`apt-get install -y chromium`; .ci/run installs it).</summary>
static class Chromium
{
    public static readonly string? Path = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    /// <summary>Loads a page headless with a fresh profile, waits for it to settle, and returns what the browser printed.</summary>
    public static string Run(string page, params string[] what)
    {
        var profile = Directory.CreateTempSubdirectory("nf-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(Path!) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var flag in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--no-first-run", "--hide-scrollbars", $"--user-data-dir={profile}", "--virtual-time-budget=10000" })
                start.ArgumentList.Add(flag);
            foreach (var w in what) start.ArgumentList.Add(w);
            start.ArgumentList.Add(new Uri(page).AbsoluteUri);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Cli.CliProcess.Patience)) // minutes: a loaded machine starts a browser slowly
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("chromium did not finish");
            }
            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
        finally { Directory.Delete(profile, recursive: true); }
    }
}

/// <summary>A fact that needs Chromium: skipped, with the reason, where it is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        if (Chromium.Path is null) Skip = "Chromium is not installed (apt-get install -y chromium); .ci/run installs it";
    }
}
