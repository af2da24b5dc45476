#!/usr/bin/env bash
# The fallback for machines without hello-load (the load generator, src/HelloService.Load):
# bounded HTTP load with nothing but bash and curl: concurrent workers request one URL until a
# duration or a request count is reached, with a progress line every second (that second's
# rate, statuses, percentiles and answering hosts) and a summary with per-host counts.
set -uo pipefail
# The shared functions next to this script (found without dirname: tests run with a bare PATH).
here=${BASH_SOURCE[0]%/*}
[[ $here == "${BASH_SOURCE[0]}" ]] && here=.
# shellcheck source=scripts/common.sh
. "$here/common.sh" || exit 2

readonly MAX_DURATION=3600    # hard cap, seconds, whatever -d says
readonly MAX_REQUESTS=1000000 # hard cap on -n
readonly MAX_CONCURRENCY=256
readonly DEFAULT_DURATION=10 # when neither -d nor -n is given

usage() {
  cat <<USAGE
Usage: ${0##*/} [options]
Sends GET requests to the HelloService (or any URL) from concurrent curl workers, then prints
a summary. Always stops by itself: it stops starting requests after -d seconds and/or -n
requests (default -d $DEFAULT_DURATION; hard caps: $MAX_DURATION s, $MAX_REQUESTS requests,
$MAX_CONCURRENCY workers); requests in flight then end within the per-request timeout -t, so a
run lasts at most -d + -t seconds. Answers with a JSON "host" field (the HelloService's pod
name) are tallied per host: distinct hosts in the progress line, counts in the summary.
The fallback for machines without hello-load, which schedules demand in millicores.

  -u URL          base URL (default http://127.0.0.1:9000)
  -p PATH         path (default /hello-world)
  -q QUERY        query string, e.g. 'count=35&parallelism=1'
  --count N       add count=N to the query        --parallelism P  add parallelism=P
  --n N           add n=N (Ackermann's n; -n is the request total)
  --m M           add m=M                         (-count, -parallelism, -m work too)
  --name NAME     add name=NAME
  -c N            concurrent workers (default 1)
  -d SECONDS      stop starting requests after SECONDS (the run ends within -t more)
  -n N            total requests (exact; split between the workers)
  -t SECONDS      per-request timeout (default 30); also bounds the tail after -d
  -k KEY          send header X-Api-Key: KEY
  -h              this help

Exit status: 0 if every request got an HTTP answer (any status), 1 if any failed at the
transport level (connection refused, timeout: status 000), 2 on bad usage.
Example: ${0##*/} -u http://127.0.0.1:9000 --count 35 --parallelism 1 -c 4 -d 30
USAGE
}

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
is_number() { [[ $1 =~ ^[0-9]+([.][0-9]+)?$ ]]; }

base_url="http://127.0.0.1:9000"
path="/hello-world"
query=""
extra=()
concurrency=1
duration=""
total=""
timeout=30
api_key=""

# handle_option OPTION VALUE: the query shortcuts (--count 35 adds count=35).
handle_option() {
  case $1 in
    --count | -count | --parallelism | -parallelism | --n | --m | -m)
      is_uint "$2" || die_usage "$1 must be a non-negative integer"
      extra+=("${1##*-}=$2")
      ;;
    --name)
      [[ -n $2 ]] || die_usage "option --name needs a value"
      extra+=("name=$2")
      ;;
    *) return 1 ;;
  esac
}
declare -A OPTION_VARS=([-u]=base_url [-p]=path [-q]=query [-c]=concurrency [-d]=duration [-n]=total [-t]=timeout [-k]=api_key)
parse_options "$@"

[[ $base_url =~ ^https?://[^/]+ ]] || die_usage "-u must be an http:// or https:// URL"
[[ $path == /* ]] || die_usage "-p must start with /"
if ! in_range "$concurrency" 1 "$MAX_CONCURRENCY"; then
  die_usage "-c must be an integer from 1 to $MAX_CONCURRENCY"
fi
concurrency=$((10#$concurrency))
if [[ -n $duration ]]; then
  in_range "$duration" 1 "$MAX_DURATION" || die_usage "-d must be an integer from 1 to $MAX_DURATION"
  duration=$((10#$duration))
fi
if [[ -n $total ]]; then
  in_range "$total" 1 "$MAX_REQUESTS" || die_usage "-n must be an integer from 1 to $MAX_REQUESTS"
  total=$((10#$total))
fi
if ! is_number "$timeout" || [[ $timeout =~ ^0+([.]0+)?$ ]]; then
  die_usage "-t must be a positive number of seconds"
fi
command -v curl >/dev/null || {
  echo "${0##*/}: curl is required" >&2
  exit 2
}

# The bound: what the user asked for, else the default duration; never more than the caps.
if [[ -z $duration && -z $total ]]; then
  duration=$DEFAULT_DURATION
fi
: "${duration:=$MAX_DURATION}"
if [[ -n $total ]] && ((concurrency > total)); then
  concurrency=$total
fi

for part in ${extra[@]+"${extra[@]}"}; do
  query=${query:+$query&}$part
done
url=${base_url%/}$path${query:+?$query}

curl_args=(--silent --show-error --max-time "$timeout" --connect-timeout "$timeout"
  --write-out '%{http_code} %{time_total}')
[[ -n $api_key ]] && curl_args+=(--header "X-Api-Key: $api_key")

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/load.XXXXXX")
workers=()

cleanup() {
  local pid
  for pid in ${workers[@]+"${workers[@]}"}; do
    kill "$pid" 2>/dev/null
  done
  wait 2>/dev/null
  rm -rf "$work_dir"
}
trap cleanup EXIT
trap 'interrupted=1' INT TERM
interrupted=0

# Microseconds since the epoch: bash 5's EPOCHREALTIME, else whole seconds from date (older bash, e.g. macOS).
if [[ -n ${EPOCHREALTIME:-} ]]; then
  now_us() {
    local t=${EPOCHREALTIME/[.,]/}
    echo "$((10#$t))"
  }
else
  now_us() { echo "$(($(date +%s) * 1000000))"; }
fi

start_us=$(now_us)
deadline_us=$((start_us + duration * 1000000))
# After the deadline, requests in flight end within the timeout; a second more is the safety net.
tail_us=$(awk -v t="$timeout" 'BEGIN { printf "%d", t * 1000000 + 1000000 }')

# One worker: its share of -n (or unlimited), until the deadline. Each line: status seconds
# host end-time-us ("-" when the answer has no "host" field). curl runs in the background so
# that a TERM from the main script ends it at once. No forks besides curl: builtins only.
worker() {
  local out=$1 quota=$2 done_count=0 curl_pid="" meta=$1.meta body=$1.body code secs text host
  trap '[[ -n $curl_pid ]] && kill "$curl_pid" 2>/dev/null; exit 0' TERM
  while ((quota < 0 || done_count < quota)) && (($(now_us) < deadline_us)); do
    : >"$body"
    curl "${curl_args[@]}" --output "$body" "$url" >"$meta" 2>/dev/null &
    curl_pid=$!
    wait "$curl_pid"
    curl_pid=""
    read -r code secs <"$meta"
    text=""
    read -r -N 4096 text <"$body"
    host=-
    if [[ $text =~ \"host\":\"([A-Za-z0-9._-]{1,253})\" ]]; then
      host=${BASH_REMATCH[1]}
    fi
    printf '%s %s %s %s\n' "${code:-000}" "${secs:-0}" "$host" "$(now_us)" >>"$out"
    done_count=$((done_count + 1))
  done
}

for ((i = 0; i < concurrency; i++)); do
  quota=-1
  if [[ -n $total ]]; then
    quota=$((total / concurrency + (i < total % concurrency ? 1 : 0)))
  fi
  : >"$work_dir/w$i.log"
  worker "$work_dir/w$i.log" "$quota" &
  workers+=($!)
done

# stats MODE [FROM_US TO_US]: the summary of every request, or (progress) of the requests that
# ended in (FROM_US, TO_US]: rate, statuses, latency percentiles in ms, distinct hosts.
stats() {
  # Sorted by latency first, so that percentiles are ranks (plain POSIX awk, no asort).
  cat "$work_dir"/w*.log 2>/dev/null \
    | awk -v from="${2:-0}" -v to="${3:-0}" 'NF >= 4 && (to == 0 || ($4 > from && $4 <= to)) { print $2 * 1000, $1, $3 }' \
    | sort -g | awk -v mode="$1" -v span_us="$((${3:-0} - ${2:-0}))" '
        { n++; status[$2]++; lat[n] = $1; if ($3 != "-") { if (!($3 in hosts)) distinct++; hosts[$3]++ } }
        END {
            if (n == 0) { if (mode == "progress") print "0 req/s"; else print "none"; exit }
            split("50 95 99", ps, " ")
            for (i in ps) { r = int((ps[i] / 100) * n + 0.999999); if (r < 1) r = 1; pct[ps[i]] = lat[r] }
            codes = ""
            for (s in status) codes = codes sprintf(" %s:%d", s, status[s])
            if (mode == "progress") {
                printf "%.1f req/s, %d requests |%s | p50 %.1f ms p95 %.1f ms | hosts %d\n",
                    (span_us > 0 ? n * 1e6 / span_us : 0), n, codes, pct[50], pct[95], distinct + 0
            } else {
                printf "requests           %d\n", n
                for (code = 0; code < 1000; code++) {
                    s = sprintf("%03d", code)
                    if (s in status) printf "status %-11s %d\n", s, status[s]
                }
                printf "latency min ms     %.1f\n", lat[1]
                printf "latency p50 ms     %.1f\n", pct[50]
                printf "latency p95 ms     %.1f\n", pct[95]
                printf "latency p99 ms     %.1f\n", pct[99]
                printf "latency max ms     %.1f\n", lat[n]
                printf "hosts              %d\n", distinct + 0
                for (h in hosts) printf "host %-13s %d\n", h, hosts[h]
            }
        }'
}

echo "load: GET $url, $concurrency worker(s), ${total:-unbounded} request(s), stops starting after $duration s (in-flight requests end within -t $timeout s)" >&2
running=1
reported=0
last_us=$start_us
while ((running && !interrupted)); do
  sleep 0.1 &
  wait $! 2>/dev/null
  running=0
  for pid in "${workers[@]}"; do
    kill -0 "$pid" 2>/dev/null && running=1
  done
  if [[ -n ${EPOCHREALTIME:-} ]]; then # no subshell in the loop (see the SIGINT note below)
    tick_us=${EPOCHREALTIME/[.,]/}
    tick_us=$((10#$tick_us))
  else
    tick_us=$(now_us)
  fi
  elapsed=$(((tick_us - start_us) / 1000000))
  if ((elapsed > reported)); then
    reported=$elapsed
    # In the background and then `wait`: a SIGINT that reaches only this shell while it waits for
    # a foreground child can be taken as handled by that child (bash's wait-and-cooperative-exit).
    stats progress "$last_us" "$tick_us" >"$work_dir/progress" 2>/dev/null &
    wait $! 2>/dev/null
    progress=""
    IFS= read -r progress <"$work_dir/progress" || true
    echo "[$elapsed s] $progress" >&2
    last_us=$tick_us
  fi
  if ((running && tick_us > deadline_us + tail_us)); then
    for pid in "${workers[@]}"; do kill "$pid" 2>/dev/null; done
  fi
done

if ((interrupted)); then
  for pid in "${workers[@]}"; do kill "$pid" 2>/dev/null; done
fi
wait "${workers[@]}" 2>/dev/null
elapsed_us=$(($(now_us) - start_us))

summary=$(stats summary)
echo
echo "== summary: GET $url"
if [[ $summary == none ]]; then
  echo "requests           0"
  count=0
else
  echo "$summary"
  count=$(echo "$summary" | awk '/^requests/ { print $2 }')
fi
awk -v n="$count" -v us="$elapsed_us" 'BEGIN { printf "elapsed s          %.2f\nreq/s              %.1f\n", us / 1e6, (us > 0 ? n * 1e6 / us : 0) }'
failed=$(cat "$work_dir"/w*.log 2>/dev/null | awk '$1 == "000" { f++ } END { print f + 0 }')
echo "transport failures $failed"

if ((interrupted)); then
  exit 130
fi
((failed == 0))
