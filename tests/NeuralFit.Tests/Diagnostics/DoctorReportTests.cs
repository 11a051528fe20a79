using System.Text.Json.Nodes;
using NeuralFit.Configuration;
using NeuralFit.Diagnostics;

namespace NeuralFit.Tests.Diagnostics;

/// <summary>The public <see cref="DoctorReport"/> says what the command's <c>doctor --json</c> writes of the same run.</summary>
public class DoctorReportTests
{
    [Fact]
    public void TheReportSaysWhatTheCommandsJsonSaysOfTheSameRun()
    {
        // A tanh layer of 4 units on sin(40x): no fix within it passes, so the round also replays wider networks.
        var result = Doctor.Run(FitOptions.ForTarget("sin(40*x)", new Interval(0, 1)) with { Layers = [4], Seed = 2 }, maxRounds: 1);
        var report = DoctorReports.Of(result);
        string folder = Directory.CreateTempSubdirectory("nf-doctor-report-").FullName, path = Path.Combine(folder, "doctor.json");
        var cli = Cli.CliRunner.RunIn(folder, "doctor", "--target", "sin(40*x)", "--domain", "0:1", "--layers", "4", "--seed", "2", "--rounds", "1", "--json", path);
        Assert.True(cli.ExitCode is 0 or 1, cli.All); // 1: fitted better, yet short of the goal
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        Directory.Delete(folder, recursive: true);

        Assert.Equal(json["fits"]!.GetValue<bool>(), report.Fits);
        Assert.Equal(json["keptNetwork"]!.GetValue<bool>(), report.KeptNetwork);
        Assert.Equal(json["interrupted"]!.GetValue<bool>(), report.Interrupted);
        Assert.Equal(json["acceptanceTest"]!.GetValue<string>(), report.AcceptanceTest);
        Assert.Equal(json["verdict"]!["fitted"]!.GetValue<bool>(), report.Verdict.Fitted);
        var change = json["change"]!.AsObject();
        Assert.Equal(change.Select(p => p.Key), report.Change.Keys);
        Assert.All(change, p => Assert.Equal(p.Value!.ToJsonString(), report.Change[p.Key]));

        var rounds = json["rounds"]!.AsArray();
        Assert.Equal(rounds.Count, report.Rounds.Count);
        for (int i = 0; i < rounds.Count; i++)
        {
            var (written, round) = (rounds[i]!, report.Rounds[i]);
            Assert.Equal(written["round"]!.GetValue<int>(), round.Number);
            Assert.Equal(written["triedOtherNetworks"]!.GetValue<bool>(), round.TriedOtherNetworks);
            Assert.Equal(written["causeChain"]!.AsArray().Select(c => c!.GetValue<string>()), round.CauseChain.Select(c => c.Code));
            Assert.Equal(written["evaluation"]!["mse"]!.GetValue<double>(), round.Before.Mse, 12);
            var replays = written["replays"]!.AsArray();
            Assert.Equal(replays.Count, round.Replays.Count);
            Assert.Contains(round.Replays, r => r.Verdict != "kept" && !r.Works); // the fixes within the small network failed
            for (int k = 0; k < replays.Count; k++)
            {
                var (w, r) = (replays[k]!, round.Replays[k]);
                Assert.Equal(w["fix"]!.GetValue<string>(), r.Fix.Summary);
                Assert.Equal(w["fromFinding"]!.GetValue<string>(), r.FromFinding);
                Assert.Equal(w["patch"]!.ToJsonString(), r.Fix.PatchText);
                Assert.Equal(w["otherNetwork"]!.GetValue<bool>(), r.OtherNetwork);
                Assert.Equal(w["verdict"]!.GetValue<string>(), r.Verdict);
                Assert.Equal(w["works"]!.GetValue<bool>(), r.Works);
                Assert.Equal(w["kept"]!.GetValue<bool>(), r.Kept);
                Assert.Equal(w["evaluation"]!["mse"]!.GetValue<double>(), r.Evaluation.Mse, 12);
                Assert.Equal(w["evaluation"]!["maxAbsError"]!.GetValue<double>(), r.Evaluation.MaxAbsError, 12);
            }
        }
        Assert.Equal(json["final"]!["evaluation"]!["mse"]!.GetValue<double>(), report.Final.Fit.Evaluation.Mse, 12);
    }
}
