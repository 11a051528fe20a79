namespace NeuralFit.Cli;

public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The run completed but missed the accuracy the user asked for.</summary>
    public const int GoalMissed = 1;
    public const int BadInput = 2;
    public const int InternalError = 3;
    /// <summary>Interrupted by SIGINT or SIGTERM after saving what could be saved.</summary>
    public const int Interrupted = 130;
}
