#!/usr/bin/env bash
# Regenerates the platform icons that jpackage needs from scorescope.svg and the app's PNG icons:
#   scorescope.png  (Linux, 256 px)  scorescope.ico (Windows)  scorescope.icns (macOS)
# The results are committed, so building installers needs none of these tools.
# Needs: rsvg-convert (librsvg2-bin), ImageMagick (convert), a JDK (java runs MakeIcns.java).
set -euo pipefail
cd "$(dirname "$0")"
app=../../resources/org/scorescope/app/icons
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in 16 32 64 128 256 512 1024; do
    rsvg-convert -w "$s" -h "$s" scorescope.svg -o "$tmp/$s.png"
done
# Windows: the hand-tuned small sizes the app window uses, 256 px stored as PNG inside the .ico.
convert "$app/scorescope-16.png" "$app/scorescope-32.png" "$app/scorescope-48.png" \
        "$app/scorescope-64.png" "$app/scorescope-128.png" "$app/scorescope-256.png" scorescope.ico
java MakeIcns.java scorescope.icns \
    icp4="$tmp/16.png" icp5="$tmp/32.png" icp6="$tmp/64.png" ic07="$tmp/128.png" ic08="$tmp/256.png" \
    ic09="$tmp/512.png" ic10="$tmp/1024.png" ic11="$tmp/32.png" ic12="$tmp/64.png" ic13="$tmp/256.png" \
    ic14="$tmp/512.png"
cp "$app/scorescope-256.png" scorescope.png
