#!/usr/bin/env bash
# Exact trace term (+ θ-gradient) vs input dimension; see docs/performance.md.
# Build first: mvn -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
exec java --add-modules jdk.incubator.vector -cp 'target/classes:target/libs/*' org.scorescope.bench.TraceBenchmark "$@"
