#!/usr/bin/env bash
# Parameter Hessian: dense build, EJML eigenvalues and Lanczos top-k; see docs/performance.md.
# Build first: mvn -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
exec java --add-modules jdk.incubator.vector -cp 'target/classes:target/libs/*' org.scorescope.bench.HessianBenchmark "$@"
