using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Persistence.Checkpoints;
using NeuralFit.Training.Observers;
using NeuralFit.Training.Schedules;
using NeuralFit.Training;
using static NeuralFit.Tests.Checkpoints.CheckpointRuns;

namespace NeuralFit.Tests.Checkpoints;

/// <summary>An interrupted run, resumed from its checkpoint, ends bit-identical to the same run left alone.</summary>
public class ResumeTests
{
    [Theory]
    [InlineData(Precision.Float32, SamplerKind.FreshUniform)]
    [InlineData(Precision.Float32, SamplerKind.Uniform)]
    [InlineData(Precision.Float64, SamplerKind.FreshUniform)]
    [InlineData(Precision.Float64, SamplerKind.Uniform)]
    public void AnInterruptedRunResumesToTheSameNumbers(Precision precision, SamplerKind sampler)
    {
        var config = Small(precision, sampler);
        var whole = FitRunner.Run(config);
        string folder = NewFolder();
        var interrupted = RunUntil(config, folder, stopAt: 237);
        Assert.Equal(StopReason.Cancelled, interrupted.StopReason);
        Assert.Equal(237, interrupted.Steps);
        AssertSameRun(whole, Resume(folder));
    }

    /// <summary>A one-input ReLU network at batch 500 trains its first two layers segment by segment.</summary>
    [Fact]
    public void ASegmentedRunResumesToTheSameNumbers()
    {
        var config = Small(Precision.Float32, SamplerKind.FreshUniform) with
        {
            Layers = [50, 10], Activation = NeuralFit.Networks.Activation.Relu, BatchSize = 500, Steps = 300,
        };
        var whole = FitRunner.Run(config);
        string folder = NewFolder();
        RunUntil(config, folder, stopAt: 137);
        AssertSameRun(whole, Resume(folder));
    }

    /// <summary>
    /// lm and lbfgs keep their state (damping, evidence; correction pairs) and, in a float32 run, their float64 copy of
    /// the parameters, which holds digits the network's float32 parameters cannot.
    /// </summary>
    [Theory]
    [InlineData(OptimizerKind.Lm, RegularizationKind.None, Precision.Float64)]
    [InlineData(OptimizerKind.Lm, RegularizationKind.Bayesian, Precision.Float64)]
    [InlineData(OptimizerKind.Lbfgs, RegularizationKind.None, Precision.Float64)]
    [InlineData(OptimizerKind.Lm, RegularizationKind.None, Precision.Float32)]
    [InlineData(OptimizerKind.Lm, RegularizationKind.Bayesian, Precision.Float32)]
    [InlineData(OptimizerKind.Lbfgs, RegularizationKind.None, Precision.Float32)]
    public void AnInterruptedSolverRunResumesToTheSameNumbers(OptimizerKind optimizer, RegularizationKind regularization, Precision precision)
    {
        var config = Small(precision) with { Optimizer = optimizer, Regularization = regularization, Steps = 120, ValidationFraction = 0.2 };
        var whole = FitRunner.Run(config);
        Assert.Equal(120, whole.Steps);
        string folder = NewFolder();
        var interrupted = RunUntil(config, folder, stopAt: 47, every: 10);
        Assert.Equal(47, interrupted.Steps);
        AssertSameRun(whole, Resume(folder));
    }

    /// <summary>
    /// Lawson's minimax keeps its weights, best parameters and round counts: interrupted after several rounds of
    /// reweighting, in a float64 and a float32 run, it resumes to the numbers of the run left alone.
    /// </summary>
    [Theory]
    [InlineData(Precision.Float64)]
    [InlineData(Precision.Float32)]
    public void AnInterruptedMinimaxRunResumesToTheSameNumbers(Precision precision)
    {
        var config = Small(precision) with { Optimizer = OptimizerKind.Lm, Objective = ObjectiveKind.Minimax, Steps = 40, ValidationFraction = 0.2 };
        var whole = FitRunner.Run(config);
        Assert.True(whole.Steps > 30, $"the minimax run took {whole.Steps} iterations: too few to interrupt after several rounds");
        string folder = NewFolder();
        RunUntil(config, folder, stopAt: 23, every: 10);
        AssertSameRun(whole, Resume(folder));
    }

    /// <summary>
    /// Early stopping counts checks since the lowest validation loss and keeps those weights: both must carry over.
    /// 28 training samples of a target with a fast ripple overfit at once: the lowest validation loss is at step 3
    /// (checks every 3 steps), and training stops at step 9 after two checks without improvement. The run is
    /// interrupted at step 5, between the two.
    /// </summary>
    [Fact]
    public void EarlyStoppingResumesToTheSameNumbers()
    {
        var config = Small(Precision.Float64) with
        {
            Target = "sin(3*x)+0.3*sin(97*x)", Layers = [64, 64], Activation = NeuralFit.Networks.Activation.Tanh,
            Optimizer = OptimizerKind.Adam, LearningRate = 0.003, Samples = 40, ValidationFraction = 0.3, EarlyStopping = 2,
        };
        var whole = FitRunner.Run(config);
        Assert.Equal(StopReason.EarlyStopped, whole.StopReason);
        Assert.Equal(9, whole.Steps);
        Assert.Contains("the weights of step 3", whole.StopDetail);
        string folder = NewFolder();
        RunUntil(config, folder, stopAt: 5, every: 1);
        AssertSameRun(whole, Resume(folder));
    }

    [Fact]
    public void EveryKindOfStateSurvivesTwoInterruptions()
    {
        // Momentum, dropout, a plateau schedule with warmup, validation, a grid: every piece of state a checkpoint keeps.
        var config = Small() with
        {
            Optimizer = OptimizerKind.Nesterov, LearningRate = 0.01, Dropout = 0.1, ValidationFraction = 0.2, Sampler = SamplerKind.Grid,
            Schedule = ScheduleSpec.Parse("plateau:2:0.5+warmup:50", "test"), DisplayStep = 100, WeightDecay = 1e-4, ClipNorm = 1,
        };
        var lines = new List<DisplayLine>();
        var whole = FitRunner.Run(config, new FitHooks { Display = lines.Add });
        string folder = NewFolder();
        RunUntil(config, folder, stopAt: 151);
        Resume(folder, stopAt: 389);
        AssertSameRun(whole, Resume(folder));
    }

    [Fact]
    public void ACheckpointTakenOnTheWayResumesToTheSameNumbers()
    {
        // At step 350 the folder holds the periodic checkpoint of step 300: what a kill -9 at that moment would leave.
        var config = Small(Precision.Float64, SamplerKind.FreshUniform);
        var whole = FitRunner.Run(config);
        string folder = NewFolder(), copy = NewFolder();
        var hooks = new FitHooks
        {
            Extensions = [new RunCheckpoints(new CheckpointPlan { Folder = folder, Every = 100 }),
                new AtStep(350, () => File.Copy(CheckpointFolder.CheckpointPath(folder), CheckpointFolder.CheckpointPath(copy)))],
        };
        FitRunner.Run(config, hooks);
        Assert.Equal(300, CheckpointFolder.Load(copy).Step);
        AssertSameRun(whole, Resume(copy));
    }

    [Fact]
    public void ARolledBackRunResumesToTheSameNumbers()
    {
        var config = Small() with { LearningRate = 0.5, Optimizer = OptimizerKind.Sgd, OnDivergence = DivergencePolicy.Rollback, Steps = 400 };
        var whole = FitRunner.Run(config);
        Assert.Equal(2, whole.Notes.Count(n => n.Contains("rolled back"))); // at steps 11 and 27
        string folder = NewFolder();
        RunUntil(config, folder, stopAt: 19); // between the rollbacks at steps 11 and 27
        AssertSameRun(whole, Resume(folder));
    }

    /// <summary>
    /// A data run's configuration holds no domain (its ranges come from the file), so its checkpoint reads back and
    /// completes to the same configuration; once, resuming one was refused with "--domain does not apply to --data".
    /// </summary>
    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Lm)]
    public void AnInterruptedDataRunResumesToTheSameNumbers(OptimizerKind optimizer)
    {
        string dir = NewFolder(), data = Path.Combine(dir, "d.csv");
        File.WriteAllText(data, "x,y\n" + string.Concat(Enumerable.Range(1, 200).Select(i => $"{i},{Math.Sin(i / 30.0) * i}\n")));
        var config = RunConfig.From(new FitOptions { Data = data, Optimizer = optimizer, Layers = [8], Steps = 120, Seed = 5 });
        var whole = FitRunner.Run(config);
        string folder = NewFolder();
        RunUntil(config, folder, stopAt: 40, every: 10);
        AssertSameRun(whole, Resume(folder));
    }

    [Fact]
    public void MoreStepsContinueTheRun()
    {
        var config = Small();
        string folder = NewFolder();
        var first = FitRunner.Run(config with { Checkpoint = folder });
        Assert.True(File.Exists(CheckpointFolder.CheckpointPath(folder)));
        var longer = Resume(folder, change: c => c with { Steps = 900 }, changedKeys: "steps");
        Assert.Equal(900, longer.Steps);
        Assert.Equal(600, longer.StartStep);
        Assert.True(longer.History[^1].Step == 900 && longer.History.Count > first.History.Count);
    }

    [Theory]
    [InlineData("learningRate")]
    [InlineData("seed")]
    [InlineData("layers")]
    public void SettingsThatShapedTheRunCannotChange(string key)
    {
        string folder = NewFolder();
        RunUntil(Small(), folder, stopAt: 100);
        var error = Assert.Throws<InputError>(() => Resume(folder, changedKeys: key));
        Assert.Contains($"{Settings.ByKey[key].Flag} cannot change when resuming", error.Message);
    }

    [Fact]
    public void FewerStepsThanTheCheckpointHasAreRefused()
    {
        string folder = NewFolder();
        RunUntil(Small(), folder, stopAt: 300);
        var error = Assert.Throws<InputError>(() => Resume(folder, change: c => c with { Steps = 200 }, changedKeys: "steps"));
        Assert.Contains("at step 300 already", error.Message);
    }

    [Fact]
    public void ANewRunDoesNotOverwriteAnotherRunsCheckpoint()
    {
        string folder = NewFolder();
        RunUntil(Small(), folder, stopAt: 100);
        var error = Assert.Throws<InputError>(() => FitRunner.Run(Small() with { Checkpoint = folder }));
        Assert.Contains("already holds a checkpoint", error.Message);
    }

    [Fact]
    public void OtherTrainingDataAreRefused()
    {
        string folder = NewFolder();
        RunUntil(Small(), folder, stopAt: 100);
        string path = CheckpointFolder.CheckpointPath(folder);
        var text = File.ReadAllText(path);
        var fingerprint = System.Text.RegularExpressions.Regex.Match(text, "\"dataFingerprint\": \"([0-9a-f]+)\"").Groups[1].Value;
        File.WriteAllText(path, text.Replace(fingerprint, new string('0', fingerprint.Length)));
        Assert.Contains("training data differ", Assert.Throws<InputError>(() => Resume(folder)).Message);
    }

    [Fact]
    public void TheBestModelSoFarIsSavedBesideTheCheckpointAndLoads()
    {
        string folder = NewFolder();
        var interrupted = RunUntil(Small(), folder, stopAt: 450);
        var saved = BestModelFile.Read(CheckpointFolder.BestModelPath(folder));
        Assert.Equal("1-12-6-1", saved.Shape.ToString());
        Assert.True(saved.Step is > 0 and <= 450 && double.IsFinite(saved.Loss), $"best model of step {saved.Step}, loss {saved.Loss}");
        // It predicts in the user's units, close to the interrupted run's own model.
        double x = 0.3, target = Math.Sin(0.9) + 0.15;
        Assert.True(Math.Abs(saved.ToFittedModel().PredictPoint(x) - target) < 0.5);
        Assert.True(Math.Abs(saved.ToFittedModel().PredictPoint(x) - interrupted.Model.PredictPoint(x)) < 0.2);
    }
}
