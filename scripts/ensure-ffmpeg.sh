#!/usr/bin/env bash
# Video scoring needs ffmpeg/ffprobe from Debian's packages. Installs them when missing and we
# are root with apt-get; otherwise says what to do. Runs before `npm start` and `npm test`.
set -euo pipefail
if command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ffmpeg from Debian packages (needed for video scoring)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq ffmpeg >/dev/null
  exit 0
fi
echo "warning: ffmpeg is not installed; video scoring will fail until it is (apt-get install ffmpeg)." >&2
