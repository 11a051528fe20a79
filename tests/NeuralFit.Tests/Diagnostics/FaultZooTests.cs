using System.Text.Json;
using NeuralFit.Configuration;
using NeuralFit.Diagnostics;

namespace NeuralFit.Tests.Diagnostics;

/// <summary>
/// Every public fault case (Fixtures/faults.json, a copy of the shared zoo, with its data files in Fixtures/data):
/// `diagnose` must report each expected group (any code of it, at warning or error); a healthy run must report no
/// error; a code a case forbids must not appear at warning or error.
/// </summary>
public class FaultZooTests
{
    static readonly JsonElement Faults = JsonDocument.Parse(File.ReadAllText(Fixture.Path("faults.json"))).RootElement.GetProperty("faults");

    public static TheoryData<string> CaseNames() => new(Faults.EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    [Theory, MemberData(nameof(CaseNames))]
    public void DiagnosisReportsTheExpectedFindings(string name)
    {
        var c = Faults.EnumerateArray().First(e => e.GetProperty("name").GetString() == name);
        var config = ConfigReader.FromJson(c.GetProperty("config").GetRawText(), name, new FitOptions { BaseDirectory = Fixture.Path("") });
        var d = Diagnoser.Run(config);
        var found = d.Findings.Where(f => f.Severity >= Severity.Warning).Select(f => f.Code).ToHashSet();
        var report = string.Join("; ", d.Findings.Select(f => $"{f.Severity} {f.Code}"));
        if (c.TryGetProperty("healthy", out var healthy) && healthy.GetBoolean())
            Assert.True(d.Findings.All(f => f.Severity != Severity.Error), $"{name}: error on a healthy run: {report}");
        if (c.TryGetProperty("forbid", out var forbid))
            foreach (var code in forbid.EnumerateArray().Select(e => e.GetString()!))
                Assert.False(found.Contains(code), $"{name}: {code} must not be reported here; found {report}");
        foreach (var group in c.GetProperty("expect").EnumerateArray())
        {
            var codes = group.EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.True(codes.Any(found.Contains), $"{name}: expected one of [{string.Join(", ", codes)}]; found {report}");
        }
    }
}
