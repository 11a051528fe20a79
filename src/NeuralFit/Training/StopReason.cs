namespace NeuralFit.Training;

public enum StopReason { Completed, Diverged, EarlyStopped, Converged, Cancelled, TimeLimit, MemoryLimit }
