using System.Text.Json.Nodes;
using System.Text.Json;
using NeuralFit.Files;
using NeuralFit.Sweeps;

namespace NeuralFit.Results;

/// <summary>
/// Combines the JSON files of a sweep's shards (`neuralfit sweep --shard i/N --json FILE`, one per machine) into the
/// JSON the whole sweep writes: base, grid, best, and every run in grid order, copied as the shards wrote them, so the
/// merged file is the one a single machine would have written, byte for byte where the runs' numbers are equal. The
/// shards must be of one sweep (the same base, grid and count), each number from 1 to N given once, and each must hold
/// exactly its runs; anything else is an <see cref="InputError"/> that names the files.
/// </summary>
internal static class SweepMerge
{
    /// <summary>Largest shard file read: 10,000 runs (<see cref="SweepSpec.MaxRuns"/>) of a few KB each fit many times.</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>The shards in these files and folders (of a folder, the *.json files in it that are shards, by name).</summary>
    public static JsonObject Files(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) throw new InputError("sweep merge: give the shards' JSON files, or folders that hold them");
        var shards = new List<(string, JsonObject)>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*.json").Order(StringComparer.Ordinal)
                    .Select(f => (Name: f, Sweep: Read(f))).Where(s => s.Sweep.ContainsKey("shard")).ToList();
                if (found.Count == 0) throw new InputError($"sweep merge: folder '{path}' holds no shard files (written by neuralfit sweep --shard i/N --json FILE)");
                shards.AddRange(found);
            }
            else
            {
                var sweep = Read(path);
                if (!sweep.ContainsKey("shard")) throw new InputError($"sweep merge: {path} is not a shard's result (it has no \"shard\"); shards are written by neuralfit sweep --shard i/N --json FILE");
                shards.Add((path, sweep));
            }
        }
        return Merge(shards);
    }

    public static JsonObject Merge(IReadOnlyList<(string Name, JsonObject Sweep)> shards)
    {
        if (shards.Count == 0) throw new InputError("sweep merge: no shards to merge");
        var (firstName, first) = shards[0];
        var count = Shard(firstName, first).Count;
        var byNumber = new string?[count + 1];
        foreach (var (name, sweep) in shards)
        {
            var shard = Shard(name, sweep);
            if (shard.Count != count)
                throw new InputError($"sweep merge: {firstName} is a shard of {count} but {name} is shard {shard}; the shards of one sweep have one count");
            foreach (var part in new[] { "base", "grid" })
                if (Difference(first[part], sweep[part]) is { } key)
                    throw new InputError($"sweep merge: {firstName} and {name} are shards of different sweeps: their {part} differs{(key.Length > 0 ? $" at '{key}'" : "")}");
            if (byNumber[shard.Number] is { } earlier) throw new InputError($"sweep merge: shard {shard} is given twice: {earlier} and {name}");
            byNumber[shard.Number] = name;
        }
        var missing = Enumerable.Range(1, count).Where(n => byNumber[n] is null).ToList();
        if (missing.Count > 0)
            throw new InputError($"sweep merge: shard{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Take(10).Select(n => $"{n}/{count}"))}{(missing.Count > 10 ? ", …" : "")} {(missing.Count > 1 ? "are" : "is")} missing; the merge needs every shard from 1/{count} to {count}/{count}");

        int gridSize = GridSize(firstName, first["grid"]);
        var runs = new JsonNode?[gridSize];
        foreach (var (name, sweep) in shards)
        {
            var shard = Shard(name, sweep);
            if (sweep["runs"] is not JsonArray list) throw Damaged(name, "it has no \"runs\" list");
            var expected = Enumerable.Range(0, gridSize).Where(shard.Holds).ToList();
            var found = list.Select((run, i) => Index(name, run, i, gridSize)).ToList();
            if (!found.SequenceEqual(expected))
                throw new InputError($"sweep merge: {name} does not hold the runs of shard {shard} of this {gridSize}-run grid (expected runs {Some(expected)}; it has {Some(found)})");
            foreach (var run in list) runs[run!["index"]!.GetValue<int>()] = run.DeepClone();
        }
        var merged = new JsonArray(runs);
        return new JsonObject
        {
            ["base"] = first["base"]!.DeepClone(),
            ["grid"] = first["grid"]!.DeepClone(),
            ["best"] = SweepJson.Best(merged),
            ["runs"] = merged,
        };
    }

    /// <summary>A shard's file, read bounded (a pipe or a device is read up to the limit, a FIFO with no writer reads as
    /// empty) and checked for keys given twice and lone surrogate escapes before anything is taken from it.</summary>
    static JsonObject Read(string path)
    {
        string text = new Files.InputFile("sweep merge: shard file", "a shard's file", MaxFileBytes).ReadAllText(path);
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            NeuralFit.Files.JsonText.Check(doc.RootElement, $"sweep merge: {path}");
            return JsonNode.Parse(doc.RootElement.GetRawText()) as JsonObject ?? throw Damaged(path, "it is not a JSON object");
        }
        catch (JsonException e) when (e.LineNumber is null) { throw new InputError($"sweep merge: {path}: not valid JSON: {e.Message}"); }
        catch (JsonException e) { throw new InputError($"sweep merge: {path}: not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}"); }
    }

    static SweepShard Shard(string name, JsonObject sweep)
    {
        if (sweep["shard"] is JsonObject s && s["number"] is JsonValue n && s["count"] is JsonValue c
            && n.TryGetValue(out int number) && c.TryGetValue(out int count) && count is >= 1 and <= SweepSpec.MaxRuns && number >= 1 && number <= count
            && sweep["base"] is JsonObject && sweep["grid"] is JsonObject)
            return new SweepShard(number, count);
        throw Damaged(name, "its \"shard\" is not {\"number\": i, \"count\": N} with 1 ≤ i ≤ N, or it has no base and grid");
    }

    static int GridSize(string name, JsonNode? grid)
    {
        long size = 1;
        foreach (var (_, values) in grid!.AsObject())
        {
            if (values is not JsonArray list || list.Count == 0) throw Damaged(name, "its grid is not lists of values");
            size *= list.Count;
            if (size > SweepSpec.MaxRuns) throw Damaged(name, $"its grid has more than {SweepSpec.MaxRuns:N0} runs");
        }
        return (int)size;
    }

    /// <summary>A run's index in the grid, once the run is checked to hold what the table and the CSV read.</summary>
    static int Index(string name, JsonNode? run, int position, int gridSize)
    {
        if (run is JsonObject r && r["index"] is JsonValue i && i.TryGetValue(out int index) && index >= 0 && index < gridSize
            && r["values"] is JsonObject && r["evaluation"] is JsonObject e && Number(e["mse"]) && Number(e["rmse"]) && Number(e["maxAbsError"]) && Number(e["r2"])
            && r["steps"] is JsonValue steps && steps.TryGetValue(out long _) && Number(r["wallSeconds"]) && Number(r["stepsPerSecond"])
            && r["stopReason"] is JsonValue stop && stop.TryGetValue(out string? _))
            return index;
        throw Damaged(name, $"its run {position + 1} lacks an index, values, evaluation, steps, times or stop reason");
    }

    /// <summary>A number, or null (JSON's NaN and ∞).</summary>
    static bool Number(JsonNode? v) => v is null || (v is JsonValue n && n.TryGetValue(out double _));

    /// <summary>Where two JSON values first differ: a key ("" for the values themselves), or null when they are equal.</summary>
    static string? Difference(JsonNode? a, JsonNode? b)
    {
        if (JsonNode.DeepEquals(a, b)) return null;
        if (a is not JsonObject x || b is not JsonObject y) return "";
        return x.Select(p => p.Key).Concat(y.Select(p => p.Key)).FirstOrDefault(k => !JsonNode.DeepEquals(x[k], y[k])) ?? "";
    }

    static string Some(List<int> indices) =>
        indices.Count == 0 ? "none" : string.Join(", ", indices.Take(8)) + (indices.Count > 8 ? $", … ({indices.Count} in all)" : "");

    static InputError Damaged(string name, string what) => new($"sweep merge: {name} is not a sweep shard as neuralfit writes it: {what}");
}
