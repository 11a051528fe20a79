using NeuralFit.Configuration;
using NeuralFit.Networks;

namespace NeuralFit.Question;

/// <summary>
/// The ln(x) question and every answer's proposal, as runs. The question: 1-50-10-1 ReLU, every weight and bias
/// from U[0,1), plain gradient descent at 0.01, batch 50, a fresh x ~ U[0,1) each step, 10 000 steps, target ln(x).
/// Success everywhere means a grid MSE of at most 1e-4 on [0.01, 1].
/// </summary>
internal static class QuestionVariants
{
    public const double SuccessMse = 1e-4;

    public static RunConfig Original => RunConfig.From(new FitOptions
    {
        Target = "ln(x)",
        Domain = [new Interval(0, 1)],
        Layers = [50, 10],
        Activation = Activation.Relu,
        Init = new InitSpec(InitKind.Uniform, 0, 1),
        BiasInit = new InitSpec(InitKind.Uniform, 0, 1),
        Optimizer = OptimizerKind.Sgd,
        LearningRate = 0.01,
        BatchSize = 50,
        Steps = 10000,
        Sampler = SamplerKind.FreshUniform,
        Normalize = NormalizeMode.None,
        EvalDomain = [new Interval(0.01, 1)],
    });

    /// <summary>Steps for the answer's Adam fix: its author trained "for a minute"; 30 000 steps at batch 500 is
    /// where its error settles on most seeds.</summary>
    public const int AnswerFixSteps = 30000;

    /// <summary>
    /// Every claim of the thread with the criteria its words carry (<see cref="Criterion"/>): "makes it work" about a
    /// network that answered a constant means it now follows ln(x); "squared errors near 1e-5" an accuracy within
    /// ten times that; "after about a minute" a time; "large weights saturate the units" the saturated-units finding;
    /// "cannot fit" a miss of the question's bar.
    /// </summary>
    public static IReadOnlyList<Variant> All(RunConfig recommended) =>
    [
        new("original", "question", "the network only ever answers y = −1.00", [Criterion.AnswersMinusOne], Original),
        new("normalized input", "answer 1", "normalising the input is needed, but on its own not enough", [Criterion.StaysCollapsed],
            Original with { Normalize = NormalizeMode.Inputs }),
        new("normalized, layer 2 removed", "answer 1", "with a normalised input, removing the second layer makes it work", [Criterion.EscapesCollapse],
            Original with { Normalize = NormalizeMode.Inputs, Layers = [50] }),
        new("normalized, layer 2 widened to 50", "answer 1", "with a normalised input, widening the second layer to 50 makes it work", [Criterion.EscapesCollapse],
            Original with { Normalize = NormalizeMode.Inputs, Layers = [50, 50] }),
        new("truncated-normal + Adam 1e-4, batch 500", "answer 2", "squared errors near 1e-5 after about a minute of training",
            [Criterion.FitsTo(1e-4), Criterion.Within(60)],
            Original with
            {
                Init = new InitSpec(InitKind.TruncatedNormal, 0.1), BiasInit = new InitSpec(InitKind.Constant, 0.1),
                Optimizer = OptimizerKind.Adam, LearningRate = 1e-4, BatchSize = 500, Steps = AnswerFixSteps,
            }),
        new("x sampled in [0.01, 1]", "answer 2", "avoid x near 0: sample x in [0.01, 1]", [Criterion.EscapesCollapse],
            Original with { Domain = [new Interval(0.01, 1)] }),
        new("dropout 0.2", "answer 2", "try dropout", [Criterion.EscapesCollapse], Original with { Dropout = 0.2 }),
        new("tanh", "answer 3", "with tanh, large weights saturate the units and the net cannot fit",
            [Criterion.Reports("saturated-units"), Criterion.CannotFit], Original with { Activation = Activation.Tanh }),
        new("NeuralFit recommended", "NeuralFit", "NeuralFit's defaults fit ln(x) on the question's domain", [Criterion.FitsTo(SuccessMse)], recommended),
    ];

    /// <summary>What NeuralFit does with the question's problem when left to its defaults.</summary>
    public static RunConfig Recommended() => RunConfig.From(new FitOptions
    {
        Target = "ln(x)",
        Domain = [new Interval(0, 1)],
        EvalDomain = [new Interval(0.01, 1)],
    });
}
