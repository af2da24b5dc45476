#!/usr/bin/env bash
# Capacity of the load generator (hello-load): an open-loop run of R requests/s of
# count=0 against a local service for D seconds, with its schedule lag, latency, CPU and peak
# memory; then hey (rate-limited workers) and wrk (closed loop, as fast as it can) against the
# same service in the same run, for comparison. Loopback only; every phase is bounded in time.
set -euo pipefail
# The shared functions next to this script (found without dirname: tests run with a bare PATH).
here=${BASH_SOURCE[0]%/*}
[[ $here == "${BASH_SOURCE[0]}" ]] && here=.
# shellcheck source=scripts/common.sh
. "$here/common.sh" || exit 2

readonly MAX_DURATION=120
readonly MAX_RATE=10000

usage() {
  cat <<USAGE
Usage: ${0##*/} [options]
Starts the service on free 127.0.0.1 ports, then measures, for D seconds each:
  1. hello-load --rate R --query count=0 (open loop): requests/s, schedule lag p50/p99/max,
     latency p50/p99, dropped requests, CPU seconds and peak RSS of the generator;
  2. hey -c C -q R/C (C rate-limited workers): requests/s, latency p50/p99, peak RSS;
  3. wrk -c C (closed loop, no rate limit): requests/s, latency p50/p99, peak RSS.
The generator is its own program, hello-load, built beside the service.

  -r RATE      requests per second (default 2000, at most $MAX_RATE)
  -d SECONDS   duration of each phase (default 10, at most $MAX_DURATION)
  -c N         connections for hey and wrk (default 20)
  -x PATH      the HelloService binary: a native (AOT) executable or HelloService.dll
               (default: dotnet build -c Release, then its HelloService.dll)
  -g PATH      the generator: a native hello-load or hello-load.dll (default: the one
               beside -x, else dotnet build -c Release of src/HelloService.Load)
  -h           this help

Needs curl; hey, wrk and /usr/bin/time are used when installed (a phase is skipped otherwise).
Example: ${0##*/} -r 2000 -d 10
USAGE
}

rate=2000
duration=10
connections=20
binary=""
generator=""

declare -A OPTION_VARS=([-r]=rate [-d]=duration [-c]=connections [-x]=binary [-g]=generator)
parse_options "$@"

in_range "$rate" 1 "$MAX_RATE" || die_usage "-r must be an integer from 1 to $MAX_RATE"
in_range "$duration" 1 "$MAX_DURATION" || die_usage "-d must be an integer from 1 to $MAX_DURATION"
in_range "$connections" 1 1000 || die_usage "-c must be an integer from 1 to 1000"
rate=$((10#$rate))
duration=$((10#$duration))
connections=$((10#$connections))
command -v curl >/dev/null || {
  echo "${0##*/}: curl is needed to wait for the service" >&2
  exit 3
}

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z $binary ]]; then
  echo "== building the service (Release)"
  dotnet build "$repo/src/HelloService/HelloService.csproj" -c Release -nologo -v q -tl:off >/dev/null
  binary="$repo/src/HelloService/bin/Release/net10.0/HelloService.dll"
fi
[[ -f $binary ]] || die_usage "-x: no such file: $binary"
if [[ $binary == *.dll ]]; then
  service_cmd=(dotnet "$binary")
else
  service_cmd=("$binary")
fi
if [[ -z $generator ]]; then
  beside="${binary%/*}/hello-load"
  [[ $binary == *.dll ]] && beside+=".dll"
  if [[ -f $beside ]]; then
    generator=$beside
  else
    echo "== building the generator (Release)"
    dotnet build "$repo/src/HelloService.Load/HelloService.Load.csproj" -c Release -nologo -v q -tl:off >/dev/null
    generator="$repo/src/HelloService.Load/bin/Release/net10.0/hello-load.dll"
  fi
fi
[[ -f $generator ]] || die_usage "-g: no such file: $generator"
if [[ $generator == *.dll ]]; then
  generator_cmd=(dotnet "$generator")
else
  generator_cmd=("$generator")
fi

work="$(mktemp -d)"
service_pid=""
cleanup() {
  if [[ -n $service_pid ]] && kill -0 "$service_pid" 2>/dev/null; then
    kill -TERM "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

app_port=$(free_port)
management_port=$(free_port "$app_port")
url="http://127.0.0.1:$app_port"

echo "== service: ${service_cmd[*]} on $url"
Server__BindAddress=127.0.0.1 Server__AppPort=$app_port Server__ManagementPort=$management_port Server__DrainSeconds=0 \
  Logging__LogLevel__Default=Warning "${service_cmd[@]}" >"$work/service.log" 2>&1 &
service_pid=$!
for ((i = 0; i < 300; i++)); do
  curl -fsS -o /dev/null "http://127.0.0.1:$management_port/healthz/ready" 2>/dev/null && break
  kill -0 "$service_pid" 2>/dev/null || {
    cat "$work/service.log" >&2
    exit 1
  }
  sleep 0.1
done
curl -fsS -o /dev/null "$url/hello-world?count=0" || {
  echo "${0##*/}: the service did not become ready" >&2
  exit 1
}
# Warm the service up (JIT, connection pool) so that no phase pays for it.
if command -v hey >/dev/null; then timeout 30 hey -z 2s -c 4 "$url/hello-world?count=0" >/dev/null 2>&1 || true; fi

# measure NAME COMMAND...: runs a bounded phase under /usr/bin/time when installed, output in $work/NAME.out.
measure() {
  local name=$1
  shift
  if [[ -x /usr/bin/time ]]; then
    timeout $((duration + 90)) /usr/bin/time -f '%M %U %S' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || true
  else
    timeout $((duration + 90)) "$@" >"$work/$name.out" 2>"$work/$name.err" || true
  fi
}

# resources NAME: "peak RSS X MiB, CPU Y s" from /usr/bin/time, or a dash.
resources() {
  if [[ -s "$work/$1.time" ]]; then
    awk '{ printf "peak RSS %.1f MiB, CPU %.2f s", $1 / 1024, $2 + $3 }' "$work/$1.time"
  else
    printf 'peak RSS -, CPU -'
  fi
}

# field JSON NAME: a number from a flat JSON object.
field() { grep -o "\"$2\":[-0-9.e]*" <<<"$1" | head -n 1 | cut -d: -f2; }

echo "== 1. hello-load --rate $rate --query count=0 --duration ${duration}s (open loop)"
measure generator "${generator_cmd[@]}" --url "$url" --rate "$rate" --query count=0 --duration "${duration}s" --timeout 10s --json
final=$(grep '"final":true' "$work/generator.out" || true)
if [[ -z $final ]]; then
  echo "${0##*/}: the generator printed no summary:" >&2
  cat "$work/generator.err" >&2
  exit 1
fi
lag=$(grep -o '"scheduleLagMs":{[^}]*}' <<<"$final")
latency=$(grep -o '"latencyMs":{[^}]*}' <<<"$final")
elapsed=$(field "$final" elapsedSeconds)
answered=$(field "$final" requests)
printf '   sent %s, answered %s (%s/s), 200: %s, dropped %s, transport errors %s\n' \
  "$(field "$final" sent)" "$answered" "$(awk -v n="$answered" -v s="$elapsed" 'BEGIN { printf "%.0f", n / s }')" \
  "$(grep -o '"200":[0-9]*' <<<"$final" | head -n 1 | cut -d: -f2)" "$(field "$final" dropped)" "$(field "$final" transportErrors)"
printf '   schedule lag p50 %s ms, p99 %s ms, max %s ms\n' "$(field "$lag" p50)" "$(field "$lag" p99)" "$(field "$lag" max)"
printf '   latency from the scheduled time p50 %s ms, p99 %s ms\n' "$(field "$latency" p50)" "$(field "$latency" p99)"
printf '   %s (own VmHWM: %s MiB)\n' "$(resources generator)" "$(field "$final" peakRssMiB)"

per_worker=$(awk -v r="$rate" -v c="$connections" 'BEGIN { printf "%.2f", r / c }')
if command -v hey >/dev/null; then
  echo "== 2. hey -z ${duration}s -c $connections -q $per_worker (rate-limited workers: $rate/s in all)"
  measure hey hey -z "${duration}s" -c "$connections" -q "$per_worker" -t 60 "$url/hello-world?count=0"
  printf '   %s/s; latency p50 %s ms, p99 %s ms; %s\n' \
    "$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$work/hey.out")" \
    "$(awk '/ 50% in/ { printf "%.1f", $3 * 1000 }' "$work/hey.out")" \
    "$(awk '/ 99% in/ { printf "%.1f", $3 * 1000 }' "$work/hey.out")" "$(resources hey)"
else
  echo "== 2. hey: not installed, skipped"
fi

if command -v wrk >/dev/null; then
  echo "== 3. wrk -t 2 -c $connections -d ${duration}s (closed loop, no rate limit)"
  measure wrk wrk -t 2 -c "$connections" -d "${duration}s" --timeout 60s --latency "$url/hello-world?count=0"
  printf '   %s/s; latency p50 %s, p99 %s; %s\n' \
    "$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$work/wrk.out")" \
    "$(awk '$1 == "50%" { print $2 }' "$work/wrk.out")" \
    "$(awk '$1 == "99%" { print $2 }' "$work/wrk.out")" "$(resources wrk)"
else
  echo "== 3. wrk: not installed, skipped"
fi
echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
