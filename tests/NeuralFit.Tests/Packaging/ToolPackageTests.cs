using System.IO.Compression;

namespace NeuralFit.Tests.Packaging;

/// <summary>
/// The command packs as .NET tool packages, one per platform, that install and run; the library packs with its XML
/// docs. The tool is packed for this machine's platform and for the fallback (`any`) only: packing every platform
/// builds each one ReadyToRun, a minute and more, so the sizes of the others are measured by hand (README).
/// </summary>
public class ToolPackageTests
{
    /// <summary>Most bytes of a tool package a machine downloads (issue 15: ≤ 30 MB; 94.5 MB as one package for all).</summary>
    const long MaxToolPackageBytes = 30_000_000;

    [Fact]
    public void TheToolPacksPerPlatformInstallsFromThePackagesAndRuns()
    {
        var work = Directory.CreateTempSubdirectory("nf-pack-").FullName;
        try
        {
            var packages = Path.Combine(work, "packages");
            string rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
            var pack = Repository.Run(Repository.Dotnet, Repository.Root, TimeSpan.FromMinutes(5),
                "pack", "src/NeuralFit.Cli/NeuralFit.Cli.csproj", "-c", Repository.Configuration, "-o", packages,
                $"-p:PlatformToolPackages={rid}"); // and the fallback, any
            Assert.True(pack.ExitCode == 0, pack.Output);
            var pointer = Directory.GetFiles(packages, "NeuralFit.Cli.*.nupkg").Single(p => char.IsDigit(Path.GetFileName(p)["NeuralFit.Cli.".Length]));
            string version = Path.GetFileNameWithoutExtension(pointer)["NeuralFit.Cli.".Length..];
            Assert.True(new FileInfo(pointer).Length < 100_000, "the package that points to the platforms' packages holds no program");
            foreach (var platform in new[] { rid, "any" })
            {
                var package = Path.Combine(packages, $"NeuralFit.Cli.{platform}.{version}.nupkg");
                long size = new FileInfo(package).Length;
                Assert.True(size <= MaxToolPackageBytes, $"{Path.GetFileName(package)} is {size:N0} bytes; at most {MaxToolPackageBytes:N0}");
                using var zip = ZipFile.OpenRead(package);
                Assert.Contains(zip.Entries, e => e.FullName.EndsWith("DotnetToolSettings.xml"));
                Assert.DoesNotContain(zip.Entries, e => e.FullName.Contains("/runtimes/android/") || e.FullName.EndsWith(".lib")); // no tool can load them
            }

            var tools = Path.Combine(work, "tools");
            var install = Repository.Run(Repository.Dotnet, work, TimeSpan.FromMinutes(3),
                "tool", "install", "--tool-path", tools, "--add-source", packages, "NeuralFit.Cli", "--version", version);
            Assert.True(install.ExitCode == 0, install.Output);

            var run = Repository.Run(Path.Combine(tools, OperatingSystem.IsWindows() ? "neuralfit.exe" : "neuralfit"), work, TimeSpan.FromMinutes(1), "--version");
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.StartsWith(version, run.Output.Trim());
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    [Fact]
    public void TheLibraryPacksWithItsXmlDocs()
    {
        var work = Directory.CreateTempSubdirectory("nf-pack-lib-").FullName;
        try
        {
            var pack = Repository.Run(Repository.Dotnet, Repository.Root, TimeSpan.FromMinutes(3),
                "pack", "src/NeuralFit/NeuralFit.csproj", "-c", Repository.Configuration, "--no-build", "-o", work);
            Assert.True(pack.ExitCode == 0, pack.Output);
            using var zip = ZipFile.OpenRead(Directory.GetFiles(work, "NeuralFit.*.nupkg").Single());
            Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/NeuralFit.dll");
            Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/NeuralFit.xml");
            Assert.Contains(zip.Entries, e => e.FullName == "README.md");
        }
        finally { Directory.Delete(work, recursive: true); }
    }
}
