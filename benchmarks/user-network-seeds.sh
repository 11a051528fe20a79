#!/usr/bin/env bash
# The user's own network across seeds: fits a target with the layers and activation fixed (nothing else given), for
# seeds 1..N, plain and with --objective minimax, and prints max |error| (on the fit's evaluation), the training's wall
# seconds (wallSeconds) and the whole process's CPU seconds (user + system: start-up, JIT, set-up, training and
# evaluation; on a loaded machine wall time waits for a core, CPU time much less) per seed. Run from the repository
# root after a Release build:
#   bash benchmarks/user-network-seeds.sh [target] [domain] [layers] [activation] [seeds]
set -u
target=${1:-ln(x)} domain=${2:-0.01:1} layers=${3:-50,10} activation=${4:-relu} seeds=${5:-10}
cli=src/NeuralFit.Cli/bin/Release/net10.0/NeuralFit.Cli.dll
[ -f "$cli" ] || { echo "build first: dotnet build NeuralFit.slnx -c Release" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "fit --target \"$target\" --domain $domain --layers $layers --activation $activation   (load: $(cut -d' ' -f1-3 /proc/loadavg))"
# the same process with no training step: what the CPU column spends outside training (start-up, JIT, set-up, evaluation)
/usr/bin/time -f "%U %S" -o "$tmp/t" dotnet "$cli" fit --target "$target" --domain "$domain" --layers "$layers" --activation "$activation" \
  --steps 0 --quiet >/dev/null 2>&1
echo "the same fit with --steps 0 (no training): $(awk '{print $(NF-1) + $NF}' "$tmp/t" | tail -n 1) s CPU"
printf '%-5s %-10s %-6s %-6s %-10s %-6s %-6s\n' seed max-error wall cpu minimax wall cpu
for s in $(seq 1 "$seeds"); do
  row="$s"
  for objective in mse minimax; do
    /usr/bin/time -f "%U %S" -o "$tmp/t" dotnet "$cli" fit --target "$target" --domain "$domain" --layers "$layers" --activation "$activation" --seed "$s" \
      --objective "$objective" --quiet --json "$tmp/r.json" >/dev/null 2>&1
    row="$row $(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); u,s=map(float,open(sys.argv[2]).read().split()[-2:]); print(f\"{d['evaluation']['maxAbsError']:.3e} {d['wallSeconds']:.2f} {u+s:.2f}\")" "$tmp/r.json" "$tmp/t")"
    rm -f "$tmp/r.json"
  done
  printf '%-5s %-10s %-6s %-6s %-10s %-6s %-6s\n' $row
done
