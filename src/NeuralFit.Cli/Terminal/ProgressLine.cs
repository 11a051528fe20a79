using NeuralFit.Runs;

namespace NeuralFit.Cli.Terminal;

/// <summary>A progress line on an interactive stderr, redrawn in place; silent when stderr is redirected.</summary>
sealed class ProgressLine : IDisposable
{
    readonly bool _live = !Console.IsErrorRedirected;
    int _width;

    public void Update(TrainingProgress p)
    {
        if (!_live) return;
        double fraction = p.TotalSteps > 0 ? (double)p.Step / p.TotalSteps : 1;
        var eta = p.StepsPerSecond > 0 ? TimeSpan.FromSeconds((p.TotalSteps - p.Step) / p.StepsPerSecond) : TimeSpan.Zero;
        const int bar = 24;
        int filled = (int)Math.Round(fraction * bar);
        string text = $"[{new string('#', filled)}{new string('.', bar - filled)}] step {p.Step:N0}/{p.TotalSteps:N0}  loss {p.Loss:G3}  {p.StepsPerSecond:N0} steps/s  ETA {eta:mm\\:ss}";
        Console.Error.Write("\r" + text.PadRight(_width));
        _width = text.Length;
    }

    public void Clear()
    {
        if (!_live || _width == 0) return;
        Console.Error.Write("\r" + new string(' ', _width) + "\r");
        _width = 0;
    }

    public void Dispose() => Clear();
}
