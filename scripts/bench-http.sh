#!/usr/bin/env bash
# Throughput and latency of light (count=0) and heavy (the default burn) /hello-world requests,
# measured with hey or wrk for a bounded time each. Installs nothing.
set -euo pipefail
# The shared functions next to this script (found without dirname: tests run with a bare PATH).
here=${BASH_SOURCE[0]%/*}
[[ $here == "${BASH_SOURCE[0]}" ]] && here=.
# shellcheck source=scripts/common.sh
. "$here/common.sh" || exit 2

readonly MAX_DURATION=300

usage() {
  cat <<USAGE
Usage: ${0##*/} [options]
Runs hey (preferred) or wrk against /hello-world?count=0 (light) and /hello-world?QUERY
(heavy), each for a bounded time, and prints their reports.

  -u URL        base URL (default http://127.0.0.1:9000)
  -d SECONDS    duration of each phase (default 10, at most $MAX_DURATION)
  -c N          concurrent connections (default 4)
  -q QUERY      query of the heavy phase (default: none, the service's defaults, 35 x A(3,11))
  -T TOOL       hey or wrk (default: whichever is installed, hey first)
  -P PHASES     light, heavy or both (default both)
  -k KEY        send header X-Api-Key: KEY
  -h            this help

Neither tool is needed elsewhere in the repository; get one with
  sudo apt-get install hey     (or: sudo apt-get install wrk)
USAGE
}

base_url="http://127.0.0.1:9000"
duration=10
connections=4
heavy_query=""
tool=""
phases=both
api_key=""

declare -A OPTION_VARS=([-u]=base_url [-d]=duration [-c]=connections [-q]=heavy_query [-T]=tool [-P]=phases [-k]=api_key)
parse_options "$@"

[[ $base_url =~ ^https?://[^/]+ ]] || die_usage "-u must be an http:// or https:// URL"
in_range "$duration" 1 "$MAX_DURATION" || die_usage "-d must be an integer from 1 to $MAX_DURATION"
in_range "$connections" 1 1000 || die_usage "-c must be an integer from 1 to 1000"
[[ $phases =~ ^(light|heavy|both)$ ]] || die_usage "-P must be light, heavy or both"
duration=$((10#$duration))
connections=$((10#$connections))

if [[ -z $tool ]]; then
  if command -v hey >/dev/null; then
    tool=hey
  elif command -v wrk >/dev/null; then
    tool=wrk
  else
    echo "${0##*/}: neither hey nor wrk is installed." >&2
    echo "Install one: sudo apt-get install hey   (or: sudo apt-get install wrk)" >&2
    echo "For a dependency-free alternative use scripts/load.sh (bash + curl)." >&2
    exit 3
  fi
elif [[ $tool != hey && $tool != wrk ]]; then
  die_usage "-T must be hey or wrk"
elif ! command -v "$tool" >/dev/null; then
  echo "${0##*/}: $tool is not installed. Install it: sudo apt-get install $tool" >&2
  exit 3
fi

# run NAME URL: one bounded phase. The per-request timeout leaves room for a heavy burn.
run() {
  local name=$1 url=$2
  echo "== $name: GET $url, $connections connection(s), $duration s, $tool"
  local header=()
  [[ -n $api_key ]] && header=(-H "X-Api-Key: $api_key")
  if [[ $tool == hey ]]; then
    timeout $((duration + 70)) hey -z "${duration}s" -c "$connections" -t 60 "${header[@]}" "$url"
  else
    local threads=$((connections < 2 ? connections : 2))
    timeout $((duration + 70)) wrk -t "$threads" -c "$connections" -d "${duration}s" --timeout 60s --latency "${header[@]}" "$url"
  fi
}

base_url=${base_url%/}
if [[ $phases != heavy ]]; then
  run light "$base_url/hello-world?count=0"
fi
if [[ $phases != light ]]; then
  run heavy "$base_url/hello-world${heavy_query:+?$heavy_query}"
fi
