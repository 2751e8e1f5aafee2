#!/usr/bin/env bash
# Quality matrix: every kind × objective × dataset with the measured defaults (docs/training.md), one line each
# with Fisher divergence (where the truth is known; for noise-conditional models against the truth perturbed by
# the smallest σ), held-out NLL (2000 fresh points), the truth's and a Scott-KDE's NLL, and training seconds.
# Trains through the Java API (org.scorescope.analysis.QualityRun, test scope), not the CLI.
#
#   bench/quality.sh [DATASETS...]            default: 8gaussians checkerboard mixture2 moons moons:70
#   JOBS=2 bench/quality.sh                   runs two trainings at a time (a 2-core machine: leave it at 1 to time)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/quality-cp.txt >/dev/null
if [[ -z "${CLASSES:-}" ]]; then   # CLASSES=dir: a copy of target/classes and target/test-classes to run from
  mvn -B -q -o test-compile -Dcheckstyle.skip >/dev/null
  CLASSES=target
fi
CP="$CLASSES/classes:$CLASSES/test-classes:$(cat target/quality-cp.txt)"
DATASETS=("${@:-8gaussians checkerboard mixture2 moons moons:70}")
# kind/objective → settings; keep in step with the defaults table in docs/training.md
RUNS=(
  "kind=energy obj=exact lr=3e-3 sched=cosine steps=3000 batch=256"
  "kind=energy obj=sliced-vr lr=3e-3 sched=cosine steps=3000 batch=256"
  "kind=energy obj=denoising lr=3e-3 sched=cosine steps=3000 batch=1024 sigma=0.1"
  "kind=energy obj=denoising lr=3e-3 sched=cosine steps=3000 batch=256 sigma=auto"
  "kind=score obj=exact lr=3e-3 sched=cosine steps=3000 batch=256"
  "kind=score obj=denoising lr=3e-3 sched=cosine steps=3000 batch=1024 sigma=0.1"
  "kind=noise-conditional obj=denoising-multi lr=1e-2 sched=cosine steps=8000 batch=512 sigma=0.1 sigmaMax=2 levels=5"
  "kind=flow obj=max-likelihood samples=20000 lr=3e-3 sched=cosine steps=3000 batch=256 couplings=4 bound=1"
  "kind=spline obj=max-likelihood samples=50000 lr=3e-3 sched=cosine steps=4000 batch=256 couplings=4 width=64 bins=16 tail=auto act=tanh"
  "kind=flow obj=max-likelihood samples=20000 lr=3e-3 sched=cosine steps=3000 batch=256 couplings=4 bound=1 smoothing=auto"
  "kind=spline obj=max-likelihood samples=50000 lr=3e-3 sched=cosine steps=4000 batch=256 couplings=4 width=64 bins=16 tail=auto act=tanh smoothing=auto"
  "kind=diffusion obj=denoising-sde lr=6e-3 sched=cosine steps=5000 batch=256 depth=3"
)
run() {
  java -Xss4m --add-modules jdk.incubator.vector -cp "$CP" org.scorescope.analysis.QualityRun "$@" 2>&1 \
    | grep '^RESULT\|DIVERGED'
}
export -f run
export CP
for d in ${DATASETS[@]}; do
  for r in "${RUNS[@]}"; do
    echo "data=$d $r"
  done
done | xargs -P "${JOBS:-1}" -I{} bash -c 'run {}'
