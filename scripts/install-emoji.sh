#!/usr/bin/env bash
# Installs the emoji data sets (emoji-google, emoji-twitter) from the npm registry: the packages
# emoji-datasource-google and emoji-datasource-twitter, version 16.0.0 (MIT), each 3,786 PNGs of
# 64 x 64 RGBA named by code point. Lays them out as the service reads them:
#
#   <dir>/google/emoji.json   <dir>/google/64/*.png
#   <dir>/twitter/emoji.json  <dir>/twitter/64/*.png
#
# <dir> is the first argument, else $GANSERVE_EMOJI_DIR, else /usr/share/datasets/emoji (the
# default of ganserve.datasets.emoji-dir). A vendor already complete is left alone. Needs npm.
set -euo pipefail
dir="${1:-${GANSERVE_EMOJI_DIR:-/usr/share/datasets/emoji}}"
version=16.0.0
expected=3786
command -v npm >/dev/null || { echo "install-emoji: npm is needed (apt-get install npm)" >&2; exit 1; }
for vendor in google twitter; do
  target="$dir/$vendor"
  have=$( (find "$target/64" -name '*.png' 2>/dev/null || true) | wc -l)
  if [ -f "$target/emoji.json" ] && [ "$have" -ge "$expected" ]; then
    echo "install-emoji: $target already holds $have images"
    continue
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "emoji-datasource-$vendor@$version" >/dev/null)
  tar xzf "$work/emoji-datasource-$vendor-$version.tgz" -C "$work" package/emoji.json "package/img/$vendor/64"
  mkdir -p "$target/64"
  cp "$work/package/emoji.json" "$target/emoji.json"
  cp -R "$work/package/img/$vendor/64/." "$target/64/"
  rm -rf "$work"
  trap - EXIT
  echo "install-emoji: $(find "$target/64" -name '*.png' | wc -l) images in $target"
done
