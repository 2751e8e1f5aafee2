#!/usr/bin/env bash
# Frame-interval floor of this machine's JavaFX pipeline: an almost empty 1280 x 820 window with N busy
# threads (a stand-in for the trainer). Needs a display (e.g. DISPLAY=:99 with Xvfb). See docs/performance.md.
#   bench/frame-floor.sh [--busy 2] [--seconds 20]
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -cp 'target/classes:target/libs/*' org.scorescope.app.FrameFloor "$@"
