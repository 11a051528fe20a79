using NeuralFit;
using NeuralFit.Cli;

// Every failure ends as one line on stderr: 2 for bad input, 3 for a fault of NeuralFit's own.
try
{
    return App.Run(args);
}
catch (InputError e)
{
    Console.Error.WriteLine($"neuralfit: {FlagNames.In(e.Message).ReplaceLineEndings(" ")}"); // one line, whatever a file name holds
    return ExitCodes.BadInput;
}
catch (Exception e) when (Environment.GetEnvironmentVariable("NEURALFIT_DEBUG") is null)
{
    Console.Error.WriteLine($"neuralfit: internal error ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}); set NEURALFIT_DEBUG=1 for details");
    return ExitCodes.InternalError;
}
