using NeuralFit;
using NeuralFit.Cli;
using NeuralFit.Cli.Terminal;

// Every failure ends as one line on stderr: 2 for bad input, 3 for a fault of NeuralFit's own.
var stdout = GuardedOutput.Install();
int code;
try
{
    code = App.Run(args);
}
catch (InputError e)
{
    Console.Error.WriteLine($"neuralfit: {OneLine(FlagNames.In(e.Message))}");
    code = ExitCodes.BadInput;
}
catch (AggregateException e) when (e.Flatten().InnerExceptions.FirstOrDefault(x => x is InputError) is { } bad)
{
    // runs side by side (doctor's replays) that met bad input: the first one's line, not a list of them
    Console.Error.WriteLine($"neuralfit: {OneLine(FlagNames.In(bad.Message))}");
    code = ExitCodes.BadInput;
}
catch (Exception e) when (Environment.GetEnvironmentVariable("NEURALFIT_DEBUG") is null)
{
    Console.Error.WriteLine($"neuralfit: internal error ({e.GetType().Name}: {OneLine(e.Message)}); set NEURALFIT_DEBUG=1 for details");
    code = ExitCodes.InternalError;
}
stdout.Flush();
if (stdout.Failure is { } failure)
{
    // The files were written (they come before the printing); what the command had to say was lost.
    Console.Error.WriteLine($"neuralfit: cannot write to standard output ({OneLine(failure)}); the results were not printed");
    if (code is ExitCodes.Success or ExitCodes.GoalMissed) code = ExitCodes.BadInput;
}
return code;

static string OneLine(string message) => Lines.OneLine(message);
