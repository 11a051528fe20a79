using System.IO.Compression;

namespace NeuralFit.Tests.Packaging;

/// <summary>
/// The command packs as a .NET tool that installs from the package file and runs; the library packs with its XML
/// docs. Packing reuses the build the tests run on (--no-build), so this costs about half a minute, not a rebuild.
/// </summary>
public class ToolPackageTests
{
    [Fact]
    public void TheToolPacksInstallsFromThePackageAndRuns()
    {
        var work = Directory.CreateTempSubdirectory("nf-pack-").FullName;
        try
        {
            var packages = Path.Combine(work, "packages");
            var pack = Repository.Run(Repository.Dotnet, Repository.Root, TimeSpan.FromMinutes(4),
                "pack", "src/NeuralFit.Cli/NeuralFit.Cli.csproj", "-c", Repository.Configuration, "--no-build", "-o", packages);
            Assert.True(pack.ExitCode == 0, pack.Output);
            var package = Directory.GetFiles(packages, "NeuralFit.Cli.*.nupkg").Single();
            string version = Path.GetFileNameWithoutExtension(package)["NeuralFit.Cli.".Length..];
            using (var zip = ZipFile.OpenRead(package))
            {
                Assert.Contains(zip.Entries, e => e.FullName.EndsWith("DotnetToolSettings.xml"));
                Assert.DoesNotContain(zip.Entries, e => e.FullName.Contains("/runtimes/android/")); // trimmed: no tool can load them
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
