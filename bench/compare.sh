#!/usr/bin/env bash
# ScoreScope (float64) vs PyTorch (float32 by default) on the same training step, side by side.
# See docs/performance.md, "Training step vs PyTorch".
#
#   bench/compare.sh [--threads "1 2"] [--rounds 3] [--steps 200] [--dtype float32|float64]
#                    [--configs "energy:exact:2 score:sliced:2 ..."] [--width 64] [--depth 2]
#                    [--batch 512] [--activation softplus]
#
# Each config is model:objective:D[:steps] (steps overrides --steps, e.g. for the slow PyTorch
# exact trace at D = 64). For every config and thread count the two programs run
# alternately, --rounds times each (Java, PyTorch, Java, PyTorch, ...), so drifts in machine load
# hit both alike; each run does its own warm-up, then --steps timed steps. The table shows the median
# over all timed steps of all rounds, and ratio = PyTorch / ScoreScope (> 1: ScoreScope is faster).
# Build first: mvn -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."

threads="1 2"
rounds=3
steps=200
dtype=float32
width=64
depth=2
batch=512
activation=softplus
configs="energy:exact:2 energy:sliced:2 energy:sliced-vr:2 energy:denoising:2 score:exact:2 score:sliced:2 score:sliced-vr:2 score:denoising:2 energy:exact:64 score:exact:64"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --dtype) dtype="$2"; shift 2 ;;
    --configs) configs="$2"; shift 2 ;;
    --width) width="$2"; shift 2 ;;
    --depth) depth="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --activation) activation="$2"; shift 2 ;;
    *) echo "compare.sh: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

PY=/usr/bin/python3
if ! $PY -c "import torch" 2>/dev/null; then
  echo "compare.sh: $PY cannot import torch (Debian: apt-get install python3-torch)" >&2
  exit 1
fi
if [[ ! -d target/classes || ! -d target/libs ]]; then
  echo "compare.sh: build first: mvn -B -q package -DskipTests" >&2
  exit 1
fi
JAVA=(java --add-modules jdk.incubator.vector -cp 'target/classes:target/libs/*' org.scorescope.cli.BenchCommand)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "# $(date -u +%FT%TZ)  $(nproc) CPUs, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# ScoreScope float64 (Java $(java -version 2>&1 | head -1 | cut -d'"' -f2)) vs PyTorch $($PY -c 'import torch; print(torch.__version__)') $dtype;" \
     "hidden width $width, depth $depth, batch $batch, $activation; $rounds rounds x $steps steps each"
echo
echo "| config | threads | ScoreScope ms/step (IQR) | PyTorch ms/step (IQR) | ratio PyTorch/ScoreScope |"
echo "|---|---|---|---|---|"
for t in $threads; do
  for c in $configs; do
    IFS=: read -r model objective dim csteps <<< "$c"
    common=(--model "$model" --objective "$objective" --dim "$dim" --width "$width" --depth "$depth"
            --batch "$batch" --activation "$activation" --steps "${csteps:-$steps}" --threads "$t")
    : > "$tmp/java"; : > "$tmp/torch"
    for ((r = 0; r < rounds; r++)); do
      "${JAVA[@]}" "${common[@]}" --seed $((r + 1)) --raw "$tmp/j" > /dev/null
      cat "$tmp/j" >> "$tmp/java"
      $PY bench/torch_peer.py "${common[@]}" --seed $((r + 1)) --dtype "$dtype" --raw "$tmp/p" > /dev/null
      cat "$tmp/p" >> "$tmp/torch"
    done
    $PY - "$tmp/java" "$tmp/torch" "$model $objective D=$dim" "$t" "${csteps:-$steps}" "$rounds" <<'EOF'
import statistics, sys
def load(p):
    return [float(l) for l in open(p) if l.strip()]
j, p = load(sys.argv[1]), load(sys.argv[2])
def cell(v):
    q = statistics.quantiles(v, n=4)
    return q[1], f"{q[1]:.2f} ({q[2] - q[0]:.2f})"
jm, jc = cell(j)
pm, pc = cell(p)
print(f"| {sys.argv[3]} | {sys.argv[4]} | {jc} | {pc} | {pm / jm:.2f} |", flush=True)
EOF
  done
done
echo
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
