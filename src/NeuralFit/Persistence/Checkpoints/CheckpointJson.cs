using System.Text.Json;
using NeuralFit.Configuration;
using NeuralFit.Preprocessing;
using NeuralFit.Sampling;
using NeuralFit.Training;
using NeuralFit.Training.Observers;
using NeuralFit.Training.Solvers;
using static NeuralFit.Persistence.JsonFieldWriter;

namespace NeuralFit.Persistence.Checkpoints;

/// <summary>
/// The checkpoint file, <c>checkpoint.json</c>: one JSON object, written in one piece and renamed into place. Small
/// fields are plain JSON; vectors are base64 of little-endian float32 or float64 (the run's precision; a whole-batch
/// solver's state always float64), exact and a third of the size of decimal text; random-number states are four 64-bit words in hexadecimal. NaN and ±∞ are the
/// strings "NaN", "Infinity", "-Infinity". Reading checks every field, and every vector's length against the
/// network's shape before decoding it.
/// </summary>
internal static class CheckpointJson
{
    /// <summary>Longest history a checkpoint may hold: a record every step of the longest run.</summary>
    const int MaxHistoryPoints = 1_000_000_001;

    public static void Write(Stream stream, CheckpointState c)
    {
        var precision = c.Config.Precision;
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("format", CheckpointState.FormatName);
        w.WriteNumber("version", CheckpointState.FormatVersion);
        w.WriteString("writtenBy", $"NeuralFit {typeof(CheckpointJson).Assembly.GetName().Version}");
        w.WriteNumber("step", c.Step);
        if (c.StopReason is { } reason) w.WriteString("stopReason", reason.Name());
        w.WritePropertyName("config");
        ConfigReader.ToJson(c.Config).WriteTo(w);
        // absolute, so that a data run resumes from any working folder (a relative data path is read from this one)
        w.WriteString("baseDirectory", Path.GetFullPath(c.Config.BaseDirectory));
        w.WriteString("dataFingerprint", c.DataFingerprint);
        WriteNormalization(w, c.Normalization);
        w.WriteNumber("parameterCount", c.Parameters.Length);
        Vector(w, "parameters", c.Parameters, precision);
        WriteOptimizer(w, "optimizer", c.Optimizer, c.Config.Optimizer.IsWholeBatch() ? Precision.Float64 : precision);
        if (c.Schedule is { } schedule) WriteSchedule(w, "schedule", schedule);
        if (c.Batches is { } batches)
        {
            w.WriteStartObject("batches");
            RngState(w, "rng", batches.Rng);
            w.WriteNumber("orderLength", batches.Order.Length);
            Int32Vector(w, "order", batches.Order);
            w.WriteNumber("cursor", batches.Cursor);
            w.WriteNumber("redrawn", batches.Redrawn);
            w.WriteEndObject();
        }
        if (c.DropoutRng is { } dropout) RngState(w, "dropoutRng", dropout);
        if (c.Display is { } display)
        {
            w.WriteStartObject("display");
            RngState(w, "rng", display.Rng);
            Number(w, "firstLoss", display.FirstLoss);
            w.WriteEndObject();
        }
        WriteHistory(w, c.History);
        WriteDivergence(w, c.Divergence, precision);
        if (c.Best is { } best) WriteBest(w, "best", best, precision);
        if (c.BestCandidate is { } candidate) WriteBest(w, "bestCandidate", candidate, precision);
        if (c.Validation is { } v)
        {
            w.WriteStartObject("validation");
            Number(w, "lastLoss", v.LastLoss);
            Number(w, "bestLoss", v.BestLoss);
            w.WriteNumber("bestStep", v.BestStep);
            w.WriteNumber("sinceBest", v.SinceBest);
            w.WriteNumber("lastCheck", v.LastCheck);
            Vector(w, "best", v.Best, precision);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    static void WriteBest(Utf8JsonWriter w, string name, BestState best, Precision precision)
    {
        w.WriteStartObject(name);
        w.WriteNumber("step", best.Step);
        Number(w, "loss", best.Loss);
        Vector(w, "parameters", best.Parameters, precision);
        w.WriteEndObject();
    }

    static BestState ReadBest(JsonField f, int n, Precision precision, int step) =>
        new(f.Only("step", "loss", "parameters")["step"].Int(0, step), f["loss"].FiniteNumber(), Finite(f["parameters"], n, precision));

    /// <summary>Reads and checks a checkpoint; every problem is an <see cref="InputError"/> naming the file and field.</summary>
    public static CheckpointState Read(byte[] utf8, string file)
    {
        using var doc = JsonField.Parse(utf8, file);
        var root = new JsonField(doc.RootElement, "", file);
        if (doc.RootElement.ValueKind != JsonValueKind.Object || root.Optional("format")?.Text() != CheckpointState.FormatName)
            throw new InputError($"{file}: not a NeuralFit checkpoint (it has no \"format\": \"{CheckpointState.FormatName}\")");
        int version = root["version"].Int(0, int.MaxValue);
        if (version != CheckpointState.FormatVersion)
            throw new InputError($"{file}: checkpoint format version {version}; this NeuralFit reads version {CheckpointState.FormatVersion}");
        root.Only("format", "version", "writtenBy", "step", "stopReason", "config", "baseDirectory", "dataFingerprint", "normalization",
            "parameterCount", "parameters", "optimizer", "schedule", "batches", "dropoutRng", "display", "history", "divergence", "best",
            "bestCandidate", "validation");

        var config = ReadConfig(root, file);
        int step = root["step"].Int(0, config.Steps);
        var shape = new Networks.NetworkShape(config.InputCount, config.Layers, config.OutputCount, config.Activation);
        int n = shape.ParameterCount;
        if (root["parameterCount"].Int(0, int.MaxValue) != n)
            throw root["parameterCount"].Error($"the network {shape} has {n:N0} parameters");
        var precision = config.Precision;
        int optimizerVectors = config.Optimizer.StateVectorCount(n);
        // Lawson's minimax adds a weight per training residual, a count the configuration alone does not give: at most
        // what any run could hold here, checked exactly against the run when it is restored (CheckpointCapture).
        int? mostVectors = config.Optimizer == OptimizerKind.Lm && config.Objective == ObjectiveKind.Minimax
            ? optimizerVectors + SolverState.LawsonVectors(n, Array.MaxLength) : null;

        // A whole-batch solver's run has no schedule and no batch source (a checkpoint of an earlier version may hold
        // unused ones: they are not read).
        bool stepped = !config.Optimizer.IsWholeBatch();
        JsonField? batches = stepped ? root["batches"].Only("rng", "orderLength", "order", "cursor", "redrawn") : null;
        int orderLength = batches?["orderLength"].Int(0, Array.MaxLength / 4) ?? 0; // the encoded length is checked before decoding
        var state = new CheckpointState
        {
            Config = config,
            Step = step,
            StopReason = root.Optional("stopReason") is { } r ? ReadStopReason(r) : null,
            DataFingerprint = root["dataFingerprint"].Text(),
            Normalization = ReadNormalization(root["normalization"], config.InputCount),
            Parameters = Finite(root["parameters"], n, precision),
            // A whole-batch solver's state is float64 whatever the precision, followed by its float64 parameters.
            Optimizer = config.Optimizer.IsWholeBatch()
                ? ReadOptimizer(root["optimizer"], n, optimizerVectors + 1, Precision.Float64, step, mostVectors + 1)
                : ReadOptimizer(root["optimizer"], n, optimizerVectors, precision, step),
            Schedule = stepped ? ReadSchedule(root["schedule"]) : null,
            Batches = batches is { } source ? new BatchSourceState(source["rng"].RngState(), source["order"].Int32Vector(orderLength),
                source["cursor"].Int(0, orderLength), source["redrawn"].Integer(0, long.MaxValue)) : null,
            DropoutRng = root.Optional("dropoutRng")?.RngState(),
            Display = root.Optional("display")?.Only("rng", "firstLoss") is { } d ? new DisplayState(d["rng"].RngState(), d["firstLoss"].Number()) : null,
            History = ReadHistory(root["history"], step),
            Divergence = ReadDivergence(root["divergence"], n, optimizerVectors, precision, step, mostVectors),
            Best = root.Optional("best") is { } b ? ReadBest(b, n, precision, step) : null,
            BestCandidate = root.Optional("bestCandidate") is { } bc ? ReadBest(bc, n, precision, step) : null,
            Validation = root.Optional("validation")?.Only("lastLoss", "bestLoss", "bestStep", "sinceBest", "lastCheck", "best") is { } v
                ? new ValidationState(v["lastLoss"].Number(), v["bestLoss"].Number(), v["bestStep"].Int(0, step), v["sinceBest"].Int(0, int.MaxValue),
                    v["lastCheck"].Int(-1, step), Finite(v["best"], n, precision))
                : null,
        };
        return state;
    }

    static RunConfig ReadConfig(JsonField root, string file)
    {
        // Read through the settings table, like any configuration file: every key checked, every value in range.
        // the base directory first: completing a data run's configuration reads its data file, from there
        var options = ConfigReader.FromJson(root["config"].Element.GetRawText(), $"{file}: config", new FitOptions { BaseDirectory = root["baseDirectory"].Text() });
        var config = Defaults.Complete(RunConfig.From(options));
        ResourceEstimate.Check(config); // before any vector is decoded
        return config;
    }

    static StopReason ReadStopReason(JsonField f)
    {
        foreach (var reason in Enum.GetValues<StopReason>())
            if (reason.Name() == f.Text()) return reason;
        throw f.Error($"unknown stop reason '{f.Text()}'");
    }

    static void WriteNormalization(Utf8JsonWriter w, Normalization n)
    {
        w.WriteStartObject("normalization");
        w.WriteStartArray("inputs");
        foreach (var map in n.Inputs) WriteMap(w, null, map);
        w.WriteEndArray();
        WriteMap(w, "target", n.Target);
        if (n.OutputCount > 1)
        {
            w.WriteStartArray("targets"); // one per output; "target" is the first
            foreach (var map in n.Targets) WriteMap(w, null, map);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    static void WriteMap(Utf8JsonWriter w, string? name, AffineMap map)
    {
        if (name is null) w.WriteStartObject(); else w.WriteStartObject(name);
        w.WriteNumber("shift", map.Shift);
        w.WriteNumber("scale", map.Scale);
        w.WriteEndObject();
    }

    public static Normalization ReadNormalization(JsonField f, int inputs)
    {
        var maps = f.Only("inputs", "target", "targets")["inputs"].Items(inputs);
        if (maps.Count != inputs) throw f["inputs"].Error($"expected {inputs} input maps, got {maps.Count}");
        var target = ReadMap(f["target"]);
        if (f.Optional("targets") is not { } list) return new Normalization(maps.Select(ReadMap).ToArray(), target);
        var targets = list.Items(Preprocessing.Normalization.MaxOutputs).Select(ReadMap).ToArray();
        if (targets.Length < 2 || targets[0] != target) throw list.Error("expected one map per output (at least two), the first equal to \"target\"");
        return Normalization.Of(maps.Select(ReadMap).ToArray(), targets);
    }

    static AffineMap ReadMap(JsonField f)
    {
        double scale = f.Only("shift", "scale")["scale"].FiniteNumber();
        return scale != 0 ? new AffineMap(f["shift"].FiniteNumber(), scale) : throw f["scale"].Error("the scale must not be zero");
    }

    static void WriteOptimizer(Utf8JsonWriter w, string name, OptimizerState o, Precision precision)
    {
        w.WriteStartObject(name);
        w.WriteNumber("steps", o.Steps);
        w.WriteStartArray("vectors");
        foreach (var v in o.Vectors)
        {
            w.WriteStartObject();
            Vector(w, "values", v, precision);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <param name="mostVectors">When the count is not fixed by the configuration: the most there may be
    /// (<paramref name="vectors"/> is then the fewest).</param>
    static OptimizerState ReadOptimizer(JsonField f, int n, int vectors, Precision precision, int step, int? mostVectors = null)
    {
        var items = f.Only("steps", "vectors")["vectors"].Items(mostVectors ?? vectors);
        if (items.Count < vectors || (mostVectors is null && items.Count != vectors))
            throw f["vectors"].Error($"expected {(mostVectors is null ? "" : "at least ")}{vectors} state vectors for this optimizer, got {items.Count}");
        return new OptimizerState(f["steps"].Integer(0, step), items.Select(i => Finite(i.Only("values")["values"], n, precision)).ToArray());
    }

    static void WriteSchedule(Utf8JsonWriter w, string name, ScheduleState s)
    {
        w.WriteStartObject(name);
        Number(w, "plateauFactor", s.PlateauFactor);
        Number(w, "best", s.Best);
        w.WriteNumber("sinceBest", s.SinceBest);
        Number(w, "rateScale", s.RateScale);
        w.WriteEndObject();
    }

    static ScheduleState ReadSchedule(JsonField f)
    {
        double factor = f.Only("plateauFactor", "best", "sinceBest", "rateScale")["plateauFactor"].FiniteNumber(), scale = f["rateScale"].FiniteNumber();
        if (!(factor > 0 && factor <= 1)) throw f["plateauFactor"].Error($"expected a factor in (0, 1], got {factor}");
        if (!(scale > 0 && scale <= 1)) throw f["rateScale"].Error($"expected a factor in (0, 1], got {scale}");
        return new ScheduleState(factor, f["best"].Number(), f["sinceBest"].Int(0, int.MaxValue), scale);
    }

    static void WriteHistory(Utf8JsonWriter w, HistoryState h)
    {
        w.WriteStartObject("history");
        w.WriteNumber("interval", h.Interval);
        Number(w, "pendingSum", h.PendingSum);
        w.WriteNumber("pendingCount", h.PendingCount);
        w.WriteStartArray("points");
        foreach (var p in h.Points)
        {
            w.WriteStartObject();
            w.WriteNumber("step", p.Step);
            Number(w, "loss", p.Loss);
            Number(w, "learningRate", p.LearningRate);
            if (p.ValidationLoss is double v) Number(w, "validationLoss", v);
            if (p.EvaluationMse is double m) Number(w, "evaluationMse", m);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    static HistoryState ReadHistory(JsonField f, int step)
    {
        var points = f.Only("interval", "pendingSum", "pendingCount", "points")["points"].Items(Math.Min(MaxHistoryPoints, step + 2))
            .Select(p => new HistoryPoint(p.Only("step", "loss", "learningRate", "validationLoss", "evaluationMse")["step"].Int(0, step), p["loss"].Number(),
            p["learningRate"].Number(), p.Optional("validationLoss")?.Number(), p.Optional("evaluationMse")?.Number())).ToArray();
        for (int i = 1; i < points.Length; i++)
            if (points[i].Step < points[i - 1].Step) throw f["points"].Error($"the records are out of order at [{i}]");
        return new HistoryState(f["interval"].Int(1, int.MaxValue), points, f["pendingSum"].Number(), f["pendingCount"].Int(0, step));
    }

    static void WriteDivergence(Utf8JsonWriter w, DivergenceState d, Precision precision)
    {
        w.WriteStartObject("divergence");
        Number(w, "firstLoss", d.FirstLoss);
        Number(w, "stretchSum", d.StretchSum);
        w.WriteNumber("stretchCount", d.StretchCount);
        Number(w, "lowestMean", d.LowestMean);
        w.WriteStartArray("rollbacks");
        foreach (var r in d.Rollbacks)
        {
            w.WriteStartObject();
            w.WriteNumber("step", r.Step);
            w.WriteNumber("restoredStep", r.RestoredStep);
            w.WriteString("what", r.What);
            Number(w, "rateScale", r.RateScale);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteSnapshot(w, "lastGood", d.LastGood, precision);
        if (d.Candidate is { } candidate) WriteSnapshot(w, "candidate", candidate, precision);
        w.WriteEndObject();
    }

    static void WriteSnapshot(Utf8JsonWriter w, string name, SnapshotState g, Precision precision)
    {
        w.WriteStartObject(name);
        w.WriteNumber("step", g.Step);
        Vector(w, "parameters", g.Parameters, precision);
        if (g.Optimizer is { } o) WriteOptimizer(w, "optimizer", o, precision);
        if (g.Schedule is { } s) WriteSchedule(w, "schedule", s);
        w.WriteEndObject();
    }

    static SnapshotState ReadSnapshot(JsonField g, int n, int vectors, Precision precision, int step, int? mostVectors) =>
        new(g.Only("step", "parameters", "optimizer", "schedule")["step"].Int(0, step), Finite(g["parameters"], n, precision),
            g.Optional("optimizer") is { } o ? ReadOptimizer(o, n, vectors, precision, step, mostVectors) : null,
            g.Optional("schedule") is { } s ? ReadSchedule(s) : null);

    static DivergenceState ReadDivergence(JsonField f, int n, int vectors, Precision precision, int step, int? mostVectors)
    {
        var rollbacks = f.Only("firstLoss", "stretchSum", "stretchCount", "lowestMean", "rollbacks", "lastGood", "candidate")["rollbacks"]
            .Items(DivergenceGuard<double>.MaxRollbacks).Select(r => new Rollback(r.Only("step", "restoredStep", "what", "rateScale")["step"].Int(0, step),
            r["restoredStep"].Int(0, step), r["what"].Text(), r["rateScale"].FiniteNumber())).ToArray();
        return new DivergenceState(f["firstLoss"].Number(), rollbacks, ReadSnapshot(f["lastGood"], n, vectors, precision, step, mostVectors),
            f.Optional("candidate") is { } c ? ReadSnapshot(c, n, vectors, precision, step, mostVectors) : null,
            f["stretchSum"].Number(), f["stretchCount"].Int(0, step), f["lowestMean"].Number());
    }

    /// <summary>A parameter-shaped vector whose every value is finite: NaN weights are damage, not a state to go on from.</summary>
    static double[] Finite(JsonField f, int n, Precision precision)
    {
        var values = f.Vector(n, precision);
        int bad = Array.FindIndex(values, v => !double.IsFinite(v));
        return bad < 0 ? values : throw f.Error($"value [{bad}] is {values[bad]}; a checkpoint holds finite values only");
    }
}
