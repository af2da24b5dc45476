#!/usr/bin/env bash
# Smoke test of the Native AOT binary as a real process, the way a pod runs it.
#
#   scripts/smoke-aot.sh [BINARY]
#
# Without BINARY it uses artifacts/aot/linux-x64/HelloService, publishing it first (through
# scripts/publish-aot.sh) when it is missing or older than a source file. It starts the binary on
# two free 127.0.0.1 ports, waits (bounded) for /healthz/ready, checks /healthz/live, a small
# /hello-world, /metrics and /info, sends SIGTERM, expects readiness to fail during the drain
# and exit code 0 within a bound.
# It prints the figures (binary size, start to ready, idle RSS, shutdown time) and exits
# non-zero on any failure. CI runs it. Needs bash, curl, awk and GNU coreutils, and binutils (nm,
# readelf) to check the kernel's placement when the symbols (BINARY.dbg) are beside the binary.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ready_timeout_s=10
request_timeout_s=30
exit_timeout_s=15

bin="${1:-}"
if [ -z "$bin" ]; then
  bin="$repo/artifacts/aot/linux-x64/HelloService"
  if [ ! -x "$bin" ] || [ -n "$(find "$repo/src" "$repo/Directory.Build.props" "$repo/Directory.Packages.props" \
    -type f -newer "$bin" -not -path '*/bin/*' -not -path '*/obj/*' -print -quit)" ]; then
    "$repo/scripts/publish-aot.sh" linux-x64 "$(dirname "$bin")"
  fi
fi
if [ ! -x "$bin" ]; then
  echo "smoke-aot: FAIL: $bin is not an executable" >&2
  exit 1
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

# shellcheck source=scripts/common.sh
. "$repo/scripts/common.sh"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

app_port="$(free_port)"
management_port="$(free_port "$app_port")"
log="$(mktemp)"
body_file="$(mktemp)"
pid=""

cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$log" "$log.type" "$body_file"
}
trap cleanup EXIT

fail() {
  echo "smoke-aot: FAIL: $*" >&2
  echo "--- service output ---" >&2
  tail -n 40 "$log" >&2 || true
  exit 1
}

# GET URL within SECONDS; prints the status code ("000" when there was no answer), leaves the
# body in $body_file and the media type in $content_type_file.
content_type_file="$log.type"
get() {
  local answer
  answer="$(curl -s -o "$body_file" -w '%{http_code} %{content_type}' --max-time "$2" "$1" 2>/dev/null)" || true
  echo "${answer#* }" >"$content_type_file"
  echo "${answer%% *}" | grep -E '^[0-9]{3}$' || echo "000"
}

# The kernel's hot function must start on a 64-byte boundary, where scripts/publish-aot.sh puts
# it: a build whose kernel loop straddled two 64-byte lines was 40% slower. Checked from the
# symbols publish-aot.sh leaves beside the binary, when they are there and of the same build.
build_id() { readelf -n "$1" 2>/dev/null | awk '/Build ID:/ { print $3 }'; }
if [ -f "$bin.dbg" ]; then
  for tool in nm readelf; do
    command -v "$tool" >/dev/null || fail "$tool is missing (Debian package binutils); it reads the kernel's address from $bin.dbg"
  done
  [ "$(build_id "$bin")" = "$(build_id "$bin.dbg")" ] \
    || fail "$bin.dbg belongs to another build than $bin (GNU build IDs differ)"
  address="$(kernel_address "$bin.dbg")"
  [ -n "$address" ] || fail "$kernel_symbol is not in $bin.dbg"
  [ $((16#$address % 64)) -eq 0 ] \
    || fail "the kernel starts at 0x$address, not on a 64-byte boundary (publish with scripts/publish-aot.sh)"
  kernel_placement="0x$address (64-byte aligned)"
else
  kernel_placement="not checked: no symbols at $bin.dbg"
fi

started_ms="$(now_ms)"
(
  cd "$(dirname "$bin")"
  exec env \
    Server__BindAddress=127.0.0.1 \
    Server__AppPort="$app_port" \
    Server__ManagementPort="$management_port" \
    Server__DrainSeconds=1 \
    Server__ShutdownTimeoutSeconds=10 \
    "$bin"
) >"$log" 2>&1 &
pid=$!

ready_ms=""
deadline_ms=$((started_ms + ready_timeout_s * 1000))
while [ "$(now_ms)" -lt "$deadline_ms" ]; do
  kill -0 "$pid" 2>/dev/null || fail "the service exited before it was ready"
  if [ "$(get "http://127.0.0.1:$management_port/healthz/ready" 1)" = "200" ]; then
    ready_ms=$(($(now_ms) - started_ms))
    break
  fi
  sleep 0.01
done
[ -n "$ready_ms" ] || fail "/healthz/ready did not answer 200 within ${ready_timeout_s} s"

idle_rss_kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")"
idle_parts="$(awk '/^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } END { printf "%.1f MiB anonymous, %.1f MiB file-backed", a / 1024, f / 1024 }' "/proc/$pid/status")"

status="$(get "http://127.0.0.1:$management_port/healthz/live" 2)"
[ "$status" = "200" ] || fail "/healthz/live answered $status"

status="$(get "http://127.0.0.1:$app_port/healthz/ready" 2)"
[ "$status" = "404" ] || fail "/healthz/ready on the app port answered $status, expected 404 (management port only)"

status="$(get "http://127.0.0.1:$management_port/info" 2)"
[ "$status" = "200" ] || fail "/info answered $status"
grep -q '"runtime":"native-aot"' "$body_file" || fail "/info does not report runtime native-aot: $(cat "$body_file")"

request_started_ms="$(now_ms)"
status="$(get "http://127.0.0.1:$app_port/hello-world?count=2&m=5" "$request_timeout_s")"
request_ms=$(($(now_ms) - request_started_ms))
[ "$status" = "200" ] || fail "/hello-world?count=2&m=5 answered $status: $(cat "$body_file")"
grep -Eq '"value":253[,}]' "$body_file" || fail "/hello-world did not compute A(3,5) = 253: $(cat "$body_file")"
grep -q '^application/json' "$content_type_file" || fail "/hello-world answered $(cat "$content_type_file"), not application/json"

status="$(get "http://127.0.0.1:$management_port/metrics" 5)"
[ "$status" = "200" ] || fail "/metrics answered $status"
grep -q '^helloservice_workers_busy ' "$body_file" || fail "/metrics has no helloservice_workers_busy sample"

rss_after_kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")"

term_ms="$(now_ms)"
kill -TERM "$pid"
# During the drain the process still serves, but readiness has failed: Kubernetes stops routing.
unready_deadline_ms=$((term_ms + 800))
status=""
while [ "$(now_ms)" -lt "$unready_deadline_ms" ]; do
  status="$(get "http://127.0.0.1:$management_port/healthz/ready" 1)"
  [ "$status" = "503" ] && break
  sleep 0.02
done
[ "$status" = "503" ] || fail "/healthz/ready answered $status after SIGTERM, expected 503 while draining"
exit_deadline_ms=$((term_ms + exit_timeout_s * 1000))
while kill -0 "$pid" 2>/dev/null && [ "$(now_ms)" -lt "$exit_deadline_ms" ]; do
  sleep 0.05
done
if kill -0 "$pid" 2>/dev/null; then
  fail "still running ${exit_timeout_s} s after SIGTERM"
fi
exit_code=0
wait "$pid" || exit_code=$?
shutdown_ms=$(($(now_ms) - term_ms))
pid=""
[ "$exit_code" -eq 0 ] || fail "exit code after SIGTERM was $exit_code, expected 0"

size_bytes="$(stat -c %s "$bin")"
echo "smoke-aot: PASS"
printf '  binary:          %s (%d bytes, %.1f MiB)\n' "$bin" "$size_bytes" "$(awk "BEGIN { print $size_bytes / 1048576 }")"
printf '  kernel:          %s\n' "$kernel_placement"
printf '  start to ready:  %d ms (process start to first 200 from /healthz/ready, 10 ms polling)\n' "$ready_ms"
printf '  idle RSS:        %d KiB (%.1f MiB, at first ready: %s)\n' "$idle_rss_kb" "$(awk "BEGIN { print $idle_rss_kb / 1024 }")" "$idle_parts"
printf '  RSS after work:  %d KiB (after one /hello-world?count=2&m=5 and a /metrics scrape)\n' "$rss_after_kb"
printf '  hello-world:     %d ms (count=2, m=5, through curl)\n' "$request_ms"
printf '  SIGTERM to exit: %d ms (Server__DrainSeconds=1), exit code %d\n' "$shutdown_ms" "$exit_code"
