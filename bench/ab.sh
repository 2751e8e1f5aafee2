#!/usr/bin/env bash
# A/B of two JVM settings on the same benchmark, rounds alternating (A, B, A, B, ...), so drifts in
# machine load hit both alike. See docs/performance.md, "Training step vs PyTorch" (levers).
#
#   bench/ab.sh [--rounds 2] --a "java" --b "java -Dscorescope.vectorgemm=false" -- MAINCLASS [ARGS...]
#   bench/ab.sh --a "java" --b "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java" -- org.scorescope.bench.FlopsBenchmark --skip products
#   bench/ab.sh --a java --b "java -Dscorescope.vectorgemm=false" --train -- --steps 3000
#
# Prints each run's table rows, prefixed with its setting. --train times the CLI's `train` at its default
# settings (energy 2-64-64-1, exact, batch 256, Adam, the given --steps) instead of a main class and
# prints steps per second of the whole command (JVM start and data included).
# Build first: mvn -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=2
a="java"
b="java"
train=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --a) a="$2"; shift 2 ;;
    --b) b="$2"; shift 2 ;;
    --train) train=1; shift ;;
    --) shift; break ;;
    *) echo "ab.sh: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "# $(date -u +%FT%TZ)  load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# A = $a ; B = $b"
for ((r = 1; r <= rounds; r++)); do
  for side in A B; do
    cmd=$a
    [[ $side == B ]] && cmd=$b
    read -r -a J <<< "$cmd"
    J+=(--add-modules jdk.incubator.vector -cp 'target/classes:target/libs/*')
    if [[ $train == 1 ]]; then
      steps=3000
      args=("$@")
      for ((i = 0; i < ${#args[@]}; i++)); do
        [[ ${args[$i]} == --steps ]] && steps=${args[$((i + 1))]}
      done
      t0=$(date +%s.%N)
      "${J[@]}" org.scorescope.cli.ScoreScopeCli train --quiet --out "$out/run" "$@" > /dev/null 2>&1
      t1=$(date +%s.%N)
      python3 -c "import sys; s, t = float(sys.argv[1]), float(sys.argv[2]); print(f'{sys.argv[3]} round $r: {s / t:.0f} steps/s ({t:.2f} s for {s:.0f} steps)')" \
          "$steps" "$(echo "$t1 - $t0" | bc)" "$side"
    else
      "${J[@]}" "$@" 2>/dev/null | grep '^|' | grep -v -- '---' | sed "s/^/$side round $r /"
    fi
  done
done
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
