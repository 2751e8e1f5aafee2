#!/usr/bin/env bash
# ScoreScope (float64) vs PyTorch (float32 by default) on the same training step, side by side.
# See docs/performance.md, "Training step vs PyTorch".
#
#   bench/compare.sh [--rounds 3] [--steps 150] [--dtype float32|float64]
#                    [--configs "energy:exact:2 score:sliced:2 ..."] [--width 64] [--depth 2]
#                    [--batch 512] [--activation softplus] [--java "java ..."]
#
# Each config is model:objective:D[:steps[:warmup]] (steps overrides --steps, e.g. for D = 64; warmup
# overrides ScoreScope's warm-up steps, by default 1000 for D <= 16 and 30 above: HotSpot's C2 takes
# about a second to compile the step's kernels, longer than 100 steps of 1-3 ms, and the app trains
# for thousands of steps, so the comparison is of steady states; PyTorch warms up 10 steps). For every config
# each round runs five settings one after the other, in this order: ScoreScope at 1 and at 2 compute
# threads, PyTorch at 1:1, 2:1 and 2:2 (intra-op threads : OPENBLAS_NUM_THREADS = OMP_NUM_THREADS, set
# before torch is imported). Rounds repeat --rounds times, so drifts in machine load hit every setting
# alike; each run does its own warm-up, then its timed steps. Cells are the median over all timed steps
# of all rounds, with the interquartile range in parentheses. Two ratios (> 1: ScoreScope is faster):
#   ratio 1 thread      PyTorch 1:1 / ScoreScope at 1 thread
#   ratio best vs best  the fastest PyTorch setting / the faster ScoreScope setting
# --java "path/to/java -Dopt=..." runs ScoreScope on another JVM or with extra flags.
# Build first: mvn -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3
steps=150
dtype=float32
width=64
depth=2
batch=512
activation=softplus
java_cmd="java"
configs="energy:exact:2 energy:sliced:2 energy:sliced-vr:2 energy:denoising:2 score:exact:2 score:sliced:2 score:sliced-vr:2 score:denoising:2 energy:exact:32:40 energy:exact:64:20 score:exact:32:40 score:exact:64:20"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --dtype) dtype="$2"; shift 2 ;;
    --configs) configs="$2"; shift 2 ;;
    --width) width="$2"; shift 2 ;;
    --depth) depth="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --activation) activation="$2"; shift 2 ;;
    --java) java_cmd="$2"; shift 2 ;;
    *) echo "compare.sh: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

PY=/usr/bin/python3
if ! $PY -c "import torch" 2>/dev/null; then
  echo "compare.sh: $PY cannot import torch (Debian: apt-get install python3-torch libopenblas0-pthread)" >&2
  exit 1
fi
if [[ ! -d target/classes || ! -d target/libs ]]; then
  echo "compare.sh: build first: mvn -B -q package -DskipTests" >&2
  exit 1
fi
read -r -a JAVA <<< "$java_cmd"
JVERSION=$("${JAVA[0]}" -version 2>&1 | head -1)
JAVA+=(--add-modules jdk.incubator.vector -cp 'target/classes:target/libs/*' org.scorescope.cli.BenchCommand)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)

echo "# $(date -u +%FT%TZ)  $(nproc) CPUs, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# ScoreScope float64 ($JVERSION, ${java_cmd}) vs PyTorch $($PY -c 'import torch; print(torch.__version__)') $dtype," \
     "BLAS $blas; hidden width $width, depth $depth, batch $batch, $activation; $rounds rounds, settings alternating"
echo
echo "| config | ScoreScope 1 thr ms (IQR) | ScoreScope 2 thr ms (IQR) | PyTorch 1:1 ms (IQR) | PyTorch 2:1 ms (IQR) | PyTorch 2:2 ms (IQR) | ratio 1 thread | ratio best vs best |"
echo "|---|---|---|---|---|---|---|---|"
for c in $configs; do
  IFS=: read -r model objective dim csteps cwarm <<< "$c"
  common=(--model "$model" --objective "$objective" --dim "$dim" --width "$width" --depth "$depth"
          --batch "$batch" --activation "$activation" --steps "${csteps:-$steps}")
  jwarm=${cwarm:-$(( dim <= 16 ? 1000 : 30 ))}
  for f in j1 j2 p11 p21 p22; do : > "$tmp/$f"; done
  for ((r = 0; r < rounds; r++)); do
    for t in 1 2; do
      "${JAVA[@]}" "${common[@]}" --warmup "$jwarm" --threads "$t" --seed $((r + 1)) --raw "$tmp/x" > /dev/null 2>&1
      cat "$tmp/x" >> "$tmp/j$t"
    done
    for s in 1:1 2:1 2:2; do
      IFS=: read -r tt bt <<< "$s"
      $PY bench/torch_peer.py "${common[@]}" --threads "$tt" --blas-threads "$bt" --seed $((r + 1)) \
          --dtype "$dtype" --raw "$tmp/x" > /dev/null
      cat "$tmp/x" >> "$tmp/p$tt$bt"
    done
  done
  $PY - "$tmp" "$model $objective D=$dim" <<'PYEOF'
import statistics, sys
d = sys.argv[1]
def cell(name):
    v = [float(l) for l in open(f"{d}/{name}") if l.strip()]
    q = statistics.quantiles(v, n=4)
    return q[1], f"{q[1]:.2f} ({q[2] - q[0]:.2f})"
j1, j2, p11, p21, p22 = (cell(n) for n in ("j1", "j2", "p11", "p21", "p22"))
best_j = min(j1[0], j2[0])
best_p = min(p11[0], p21[0], p22[0])
print(f"| {sys.argv[2]} | {j1[1]} | {j2[1]} | {p11[1]} | {p21[1]} | {p22[1]} | {p11[0] / j1[0]:.2f} | {best_p / best_j:.2f} |",
      flush=True)
PYEOF
done
echo
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
