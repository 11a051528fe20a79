namespace NeuralFit.Networks;

/// <summary>The activation applied after every hidden layer; the output layer is always linear.</summary>
public enum Activation { Relu, LeakyRelu, Elu, Gelu, Silu, Tanh, Sigmoid, Softplus, Sine, Linear }

internal static class ActivationNames
{
    static readonly (string Name, Activation Value)[] Table =
    [
        ("relu", Activation.Relu), ("leaky-relu", Activation.LeakyRelu), ("elu", Activation.Elu),
        ("gelu", Activation.Gelu), ("silu", Activation.Silu), ("tanh", Activation.Tanh),
        ("sigmoid", Activation.Sigmoid), ("softplus", Activation.Softplus), ("sine", Activation.Sine),
        ("linear", Activation.Linear),
    ];

    public static IEnumerable<string> All => Table.Select(t => t.Name);

    public static string Name(this Activation a) => Table.First(t => t.Value == a).Name;

    public static bool TryParse(string text, out Activation value)
    {
        foreach (var (name, v) in Table)
            if (name == text) { value = v; return true; }
        value = default;
        return false;
    }

    /// <summary>True for the ReLU family, whose units can die (zero output and zero gradient on the whole domain).</summary>
    public static bool IsReluFamily(this Activation a) => a.Traits().IsReluFamily;

    /// <summary>True for activations bounded on both sides, whose units can saturate.</summary>
    public static bool IsBounded(this Activation a) => a.Traits().IsBounded;

    /// <summary>
    /// True when a first layer with one input and these units can run segment by segment, and its backward pass can
    /// come from two sums per unit (ReLU, leaky ReLU, linear: a = slope·z, the slope fixed by the sign of z).
    /// </summary>
    public static bool SupportsOneInputSegments(this Activation a) => a.Traits().IsTwoPieceLinear;
}
