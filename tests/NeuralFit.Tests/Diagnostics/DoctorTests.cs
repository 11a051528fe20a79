using System.Text.Json.Nodes;
using NeuralFit.Configuration;
using NeuralFit.Diagnostics;
using NeuralFit.Fitting;
using NeuralFit.Persistence;
using NeuralFit.Question;
using NeuralFit.Training;

namespace NeuralFit.Tests.Diagnostics;

public class DoctorTests
{
    /// <summary>A tanh layer of 4 units turns at most 6 times; sin(40x) on [0, 1] turns 12 times.</summary>
    static FitOptions TooSmall => FitOptions.ForTarget("sin(40*x)", new Interval(0, 1)) with
    {
        Layers = [4], Seed = 2,
    };

    [Fact]
    public void TheQuestionsOwnNetworkIsRepairedAndItsSavedConfigFits()
    {
        var result = Doctor.Run(QuestionVariants.Original with { Seed = 1 });
        Assert.True(result.Fits, $"final MSE {result.Final.Evaluation.Mse}");
        Assert.True(result.KeptNetwork);
        Assert.All(result.Rounds, r => Assert.False(r.TriedOtherNetworks));
        Assert.Equal(["bad-init", "exploding-gradients", "dead-units", "collapsed-output"], result.Rounds[0].Before.CauseChain.Select(c => c.Code));
        foreach (var round in result.Rounds)
        {
            foreach (var replay in round.Replays)
            {
                var judged = AcceptanceTest.Judge(round.Before, replay.Outcome);
                Assert.Equal(replay.Verdict == ReplayVerdict.Kept ? ReplayVerdict.Passes : replay.Verdict, judged);
            }
            Assert.NotNull(round.Chosen);
            Assert.Equal(ReplayVerdict.Kept, round.Chosen!.Verdict);
            Assert.Equal(round.Replays.Where(r => r.Works).Min(r => r.Evaluation.Mse), round.Chosen!.Evaluation.Mse);
        }

        var saved = ConfigReader.FromJson(result.SavedConfig.ToJsonString(), "saved", new FitOptions());
        var refit = FitRunner.Run(saved);
        Assert.True(refit.Evaluation.Mse <= QuestionVariants.SuccessMse, $"the saved configuration fits to {refit.Evaluation.Mse}");
        Assert.Equal(result.Final.Evaluation.Mse, refit.Evaluation.Mse);
        Assert.Equal([50, 10], saved.Layers);
    }

    [Fact]
    public void ANetworkTooSmallIsWidenedOnlyAfterEveryFixWithinItFailed()
    {
        var result = Doctor.Run(TooSmall, maxRounds: 1);
        var round = Assert.Single(result.Rounds);
        Assert.Equal("insufficient-capacity", round.Before.CauseChain[0].Code);
        Assert.True(round.TriedOtherNetworks);
        Assert.All(round.Replays.Where(r => !r.Candidate.OtherNetwork), r => Assert.False(r.Works));
        Assert.True(round.Chosen!.Candidate.OtherNetwork);
        Assert.Contains(round.Replays, r => r.Candidate.FromCode == "insufficient-capacity" && r.Works);
        Assert.False(result.KeptNetwork);
        Assert.True(result.Final.Evaluation.Mse < 0.01 * round.Before.Evaluation.Mse);
    }

    [Fact]
    public void APatchHoldsOnlyKeysItsOptimizerUses()
    {
        var result = Doctor.Run(TooSmall, maxRounds: 1);
        Assert.Equal(OptimizerKind.Lm, result.Final.Config.Optimizer);
        foreach (var key in SettingUse.WholeBatchIgnores)
        {
            Assert.False(result.SavedConfig.ContainsKey(key), $"saved config has {key}");
            Assert.False(result.CombinedPatch.ContainsKey(key), $"change has {key}");
            Assert.All(result.Rounds.SelectMany(r => r.Replays).Where(r => r.Config.Optimizer.IsWholeBatch()), r => Assert.False(r.Fix.Patch.ContainsKey(key)));
        }
    }

    /// <summary>
    /// A noisy data file whose early-stopped network still fits noise (seed 1 of the zoo's linear-noisy.csv): the doctor
    /// judges fixes by the error above the noise, keeps the network, and saves a configuration that runs from anywhere.
    /// </summary>
    [Fact]
    public void ADataRunIsRepairedWithinItsNetworkAndItsSavedConfigRunsFromAnywhere()
    {
        var config = new FitOptions { Data = "data/linear-noisy.csv", BaseDirectory = Fixture.Path("") };
        var result = Doctor.Run(config, maxRounds: 1);
        Assert.True(result.Fits, $"final {result.Final.Evaluation.Mse} against the noise {result.Final.NoiseCeiling}");
        Assert.True(result.Final.AtNoiseFloor);
        Assert.True(result.KeptNetwork);
        Assert.False(result.CombinedPatch.ContainsKey("domain"));
        string data = result.SavedConfig["data"]!.GetValue<string>();
        Assert.True(Path.IsPathRooted(data), data);
        var refit = FitRunner.Run(ConfigReader.FromJson(result.SavedConfig.ToJsonString(), "saved", new FitOptions { BaseDirectory = Path.GetTempPath() }));
        Assert.Equal(result.Final.Evaluation.Mse, refit.Evaluation.Mse);
    }

    [Fact]
    public void TheAcceptanceTestIsTheOneItStates()
    {
        var before = Outcome(mse: 0.0185, max: 0.375);
        Assert.Equal(ReplayVerdict.Passes, AcceptanceTest.Judge(before, Outcome(0.009, 0.3)));
        Assert.Equal(ReplayVerdict.MaxErrorGrew, AcceptanceTest.Judge(before, Outcome(0.009, 0.9)));
        Assert.Equal(ReplayVerdict.Better, AcceptanceTest.Judge(before, Outcome(0.0119, 0.9))); // −36 %: better, not enough
        Assert.Equal(ReplayVerdict.NoBetter, AcceptanceTest.Judge(before, Outcome(0.018, 0.3)));
        Assert.Equal(ReplayVerdict.Worse, AcceptanceTest.Judge(before, Outcome(0.05, 0.3)));
        Assert.Equal(ReplayVerdict.Diverged, AcceptanceTest.Judge(before, Outcome(0.001, 0.1) with { StopReason = StopReason.Diverged }));
        Assert.Contains("at least halves the MSE on 0:1", AcceptanceTest.Describe(before));
        Assert.Contains("does not raise the max |error|", AcceptanceTest.Describe(before));

        // Data: the part above the noise must halve. 3324 → 2180 is −34 % of the MSE but −69 % of the excess over 1660.
        var noisy = Outcome(3324, 156) with { NoiseCeiling = 1660 };
        Assert.Equal(ReplayVerdict.Passes, AcceptanceTest.Judge(noisy, Outcome(2180, 116)));
        Assert.Equal(ReplayVerdict.Better, AcceptanceTest.Judge(noisy, Outcome(2780, 119)));
        Assert.Contains("above what the data's noise accounts for", AcceptanceTest.Describe(noisy));
    }

    /// <summary>
    /// A signal after the first runs: the doctor returns what finished; run again with the same journal, it trains
    /// only what had not finished, and ends where an uninterrupted doctor ends.
    /// </summary>
    [Fact]
    public void AnInterruptedDoctorGoesOnFromItsJournalWithoutTrainingFinishedRunsAgain()
    {
        var whole = Doctor.Run(TooSmall, maxRounds: 1);
        using var stop = new CancellationTokenSource();
        var journal = new MemoryJournal { AfterKeep = n => { if (n == 2) stop.Cancel(); } };
        var stopped = Doctor.Run(TooSmall, maxRounds: 1, cancel: stop.Token, journal: journal);
        Assert.True(stopped.Interrupted);
        int finished = journal.Kept;
        Assert.InRange(finished, 2, 3); // the user's run and a replay, and one more that was finishing on the other core

        var again = new MemoryJournal(journal);
        var resumed = Doctor.Run(TooSmall, maxRounds: 1, journal: again);
        Assert.False(resumed.Interrupted);
        Assert.Equal(1 + whole.Rounds[0].Replays.Count - finished, again.Kept);
        Assert.Equal(whole.Final.Evaluation.Mse, resumed.Final.Evaluation.Mse);
        Assert.Equal(whole.CombinedPatch.ToJsonString(), resumed.CombinedPatch.ToJsonString());
    }

    static RunOutcome Outcome(double mse, double max) => new(new RunConfig(),
        new NeuralFit.Evaluation.Evaluation { Domain = "0:1", Points = 10, Mse = mse, Rmse = Math.Sqrt(mse), MaxAbsError = max, R2 = 0.9, OutputMean = 0, OutputStd = 1, TargetMean = 0, TargetStd = 1 },
        StopReason.Completed, 1, false, [], []) { Verdict = new Verdict(false, "r2 ≥ 0.9999", "r2 0.9", "neuralfit diagnose") };

    sealed class MemoryJournal : IRunJournal<RunOutcome>
    {
        readonly Dictionary<string, RunOutcome> _runs = [];
        readonly Lock _gate = new();

        public MemoryJournal() { }
        public MemoryJournal(MemoryJournal earlier) { foreach (var (k, v) in earlier._runs) _runs[k] = v with { Full = null }; }

        public Action<int>? AfterKeep { get; init; }
        public int Kept { get; private set; }

        public bool TryRecall(string key, out RunOutcome value)
        {
            lock (_gate) return _runs.TryGetValue(key, out value!);
        }

        public void Keep(string key, RunOutcome value)
        {
            int n;
            lock (_gate) { _runs[key] = value; n = ++Kept; }
            AfterKeep?.Invoke(n);
        }
    }
}
