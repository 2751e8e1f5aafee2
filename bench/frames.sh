#!/usr/bin/env bash
# One frame-time run of the app (docs/performance.md, "Frame time"): default settings, training at full
# speed for N seconds with the pointer over the view, under Xvfb :99 (started if needed). Prints the
# recorder's report and the training step reached. Needs Xvfb and xdotool; build first (mvn -B package).
#   bench/frames.sh [seconds=40]
#   JOPTS=-Dscorescope.backgroundPriority=false bench/frames.sh    # compute threads at normal priority
#   SPECTRA=1 bench/frames.sh     # with the Spectra tab open (its ladder recomputed while training)
set -u
cd "$(dirname "$0")/.."
secs=${1:-40}
out=$(mktemp /tmp/scorescope-frames.XXXXXX)
log=$(mktemp /tmp/scorescope-app.XXXXXX)
pgrep -f "Xvfb :99" >/dev/null || { Xvfb :99 -screen 0 1440x900x24 >/dev/null 2>&1 & sleep 2; }
export DISPLAY=:99
# shellcheck disable=SC2086
java --add-modules jdk.incubator.vector ${JOPTS:-} -Dscorescope.frameStats=true -Dscorescope.frameStats.file="$out" \
    -jar target/scorescope.jar >"$log" 2>&1 &
pid=$!
sleep 8
xdotool mousemove 700 400
wid=$(xdotool search --name ScoreScope | head -1)
[ -n "$wid" ] && xdotool windowactivate --sync "$wid" 2>/dev/null
# the Spectra tab's header, relative to the default 1280 x 820 window
[ -n "${SPECTRA:-}" ] && [ -n "$wid" ] && { xdotool mousemove --window "$wid" 403 611 click 1; sleep 1; xdotool mousemove 700 400; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# CPU time the hypervisor gave to others while we waited ("steal"), and the machine's busy share, over the run
read -r _ u1 n1 s1 i1 w1 q1 sq1 st1 _ < /proc/stat
xdotool key space
sleep "$secs"
read -r _ u2 n2 s2 i2 w2 q2 sq2 st2 _ < /proc/stat
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v busy=$(( (u2+n2+s2+q2+sq2) - (u1+n1+s1+q1+sq1) )) -v idle=$(( (i2+w2) - (i1+w1) )) -v steal=$((st2 - st1)) \
    'BEGIN { t = busy + idle + steal; printf "cpu during the run: %.0f %% busy, %.1f %% stolen by the hypervisor\n", 100 * busy / t, 100 * steal / t }'
xdotool key ctrl+q
for _ in 1 2 3 4 5 6; do kill -0 $pid 2>/dev/null || break; sleep 1; done
kill -9 $pid 2>/dev/null
grep -o 'training step [0-9]*' "$log" | tail -1
cat "$out"
rm -f "$out" "$log"
