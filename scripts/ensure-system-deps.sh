#!/usr/bin/env bash
# System packages the product and its tests use, from Debian: ffmpeg/ffprobe (video scoring) and,
# for the browser tests, chromium. Installs what is missing when we are root with apt-get;
# otherwise says what to do. Runs before `npm start` (ffmpeg) and `npm test` (both).
set -euo pipefail
want=(ffmpeg)
[ "${1:-}" = "--with-browser" ] && want+=(chromium)
missing=()
for pkg in "${want[@]}"; do command -v "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} from Debian packages..."
  export DEBIAN_FRONTEND=noninteractive
  # A failed install is reported, not fatal: the product starts without them (video scoring and
  # the browser tests then fail with a clear message).
  if apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; then exit 0; fi
  echo "warning: could not install ${missing[*]}" >&2
  exit 0
fi
echo "warning: missing ${missing[*]}; install with: apt-get install ${missing[*]}" >&2
