#!/usr/bin/env bash
# Smoke test of the linux-arm64 Native AOT binaries on an x64 machine, under qemu's user-mode
# emulation (qemu-user-static), with the arm64 C runtime of the cross toolchain as their library
# path (scripts/install-cross-arm64.sh --emulator installs both).
#
#   scripts/smoke-arm64.sh [DIR]
#
# DIR (default artifacts/aot/linux-arm64, from scripts/publish-aot.sh linux-arm64) holds
# HelloService and hello-load, each of which must be an aarch64 ELF file. The server runs on two free 127.0.0.1 ports and must become ready, answer
# /hello-world?cpuMs=100 with cpuMs from 100 to 101 (the burn stops on the worker threads' CPU
# clocks, read under emulation too), /metrics, /info with architecture arm64, start a load job
# (POST /load/cpu: 202 and a Location) and stop it (DELETE: 200); hello-load, emulated too, runs
# 3 s of 200m against it and must exit 0; SIGTERM must end the server with exit code 0. Prints
# the sizes, the time to ready under emulation and one line per answer; exits non-zero on any
# failure. ARM64_SYSROOT (default /usr/aarch64-linux-gnu) is qemu's library path. CI runs it
# (.ci/steps/arm64.sh). Emulation is slow (start-up 5 to 20 times, the kernel about 4.5 times
# the x64 binary's on the same machine): the bounds are wide, and no figure here says anything
# about arm64 performance.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$repo/artifacts/aot/linux-arm64}"
sysroot="${ARM64_SYSROOT:-/usr/aarch64-linux-gnu}"
ready_timeout_s=90
request_timeout_s=60
drain_s=1
exit_timeout_s=30
run_limit_s=300 # the server's whole life under emulation, whatever happens

# shellcheck source=scripts/common.sh
. "$repo/scripts/common.sh"

for tool in qemu-aarch64-static file curl; do
  command -v "$tool" >/dev/null || {
    echo "smoke-arm64: FAIL: $tool is missing (scripts/install-cross-arm64.sh --emulator installs it)" >&2
    exit 1
  }
done
emulate=(qemu-aarch64-static -L "$sysroot")

now_ms() { echo $(($(date +%s%N) / 1000000)); }

log="$(mktemp)"
body="$(mktemp)"
headers="$(mktemp)"
load_log="$(mktemp)"
pid=""
cleanup() { # $pid is timeout's; the emulator under it is its child
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$log" "$body" "$headers" "$load_log"
}
trap cleanup EXIT

fail() {
  echo "smoke-arm64: FAIL: $*" >&2
  echo "--- service output ---" >&2
  tail -n 30 "$log" >&2 || true
  exit 1
}

# call SECONDS CURL-ARGUMENTS...: the status code ("000" when there was no answer); the body in
# $body, the response headers in $headers.
call() {
  local seconds=$1
  shift
  : >"$body"
  : >"$headers"
  curl -s -o "$body" -D "$headers" -w '%{http_code}' --max-time "$seconds" "$@" 2>/dev/null | grep -E '^[0-9]{3}$' || echo "000"
}

# The binaries: aarch64 ELF files, as `file` sees them.
binaries=(HelloService hello-load)
for binary in "${binaries[@]}"; do
  [ -x "$dir/$binary" ] || fail "$dir/$binary is not an executable"
  kind="$(file -b "$dir/$binary")"
  [[ $kind == *"ARM aarch64"* ]] || fail "$dir/$binary is not an aarch64 ELF file: $kind"
  size="$(stat -c %s "$dir/$binary")"
  printf 'smoke-arm64: size: %s %d bytes (%.1f MiB), %s\n' "$binary" "$size" "$(awk "BEGIN { print $size / 1048576 }")" "$(echo "$kind" | cut -d, -f1,2)"
done

app_port="$(free_port)"
management_port="$(free_port "$app_port")"
app="http://127.0.0.1:$app_port"
management="http://127.0.0.1:$management_port"

started_ms="$(now_ms)"
(
  cd "$dir"
  exec env \
    Server__BindAddress=127.0.0.1 \
    Server__AppPort="$app_port" \
    Server__ManagementPort="$management_port" \
    Server__DrainSeconds="$drain_s" \
    Server__ShutdownTimeoutSeconds=20 \
    timeout -s KILL "$run_limit_s" "${emulate[@]}" ./HelloService
) >"$log" 2>&1 &
pid=$!

ready_ms=""
deadline_ms=$((started_ms + ready_timeout_s * 1000))
while [ "$(now_ms)" -lt "$deadline_ms" ]; do
  kill -0 "$pid" 2>/dev/null || fail "the service exited before it was ready"
  if [ "$(call 2 "$management/healthz/ready")" = "200" ]; then
    ready_ms=$(($(now_ms) - started_ms))
    break
  fi
  sleep 0.1
done
[ -n "$ready_ms" ] || fail "/healthz/ready did not answer 200 within ${ready_timeout_s} s"
echo "smoke-arm64: ready: ${ready_ms} ms from start to the first 200 from /healthz/ready, under emulation"

status="$(call 10 "$management/info")"
[ "$status" = "200" ] || fail "/info answered $status"
grep -q '"architecture":"arm64"' "$body" || fail "/info does not report architecture arm64: $(cat "$body")"
grep -q '"runtime":"native-aot"' "$body" || fail "/info does not report runtime native-aot: $(cat "$body")"
echo "smoke-arm64: /info: $status, $(grep -o '"runtime":"[^"]*","architecture":"[^"]*"' "$body"), $(grep -o '"processorCount":[0-9]*' "$body")"

status="$(call "$request_timeout_s" "$app/hello-world?cpuMs=100")"
[ "$status" = "200" ] || fail "/hello-world?cpuMs=100 answered $status: $(cat "$body")"
cpu_ms="$(grep -oE '"cpuMs":[0-9.]+' "$body" | cut -d: -f2)" \
  || fail "/hello-world?cpuMs=100 reported no CPU time (cpuMs null: the thread CPU clock could not be read): $(cat "$body")"
# Within max(1 ms, 1%) of the target and never below it: the burn stops once the clocks reach it.
awk -v c="$cpu_ms" 'BEGIN { exit !(c >= 100 && c <= 101) }' \
  || fail "/hello-world?cpuMs=100 burnt cpuMs $cpu_ms, not within [100, 101]"
echo "smoke-arm64: /hello-world?cpuMs=100: $status, cpuMs $cpu_ms, $(grep -o '"elapsedMs":[0-9.]*' "$body"), $(grep -o '"workers":[0-9]*' "$body")"

status="$(call 10 "$management/metrics")"
[ "$status" = "200" ] || fail "/metrics answered $status"
grep -q '^helloservice_workers_busy ' "$body" || fail "/metrics has no helloservice_workers_busy sample"
echo "smoke-arm64: /metrics: $status, $(grep -c '^helloservice_' "$body") helloservice_ samples"

status="$(call 10 -X POST "$app/load/cpu?millicores=500&seconds=5")"
[ "$status" = "202" ] || fail "POST /load/cpu?millicores=500&seconds=5 answered $status: $(cat "$body")"
location="$(awk 'tolower($1) == "location:" { sub(/\r$/, "", $2); print $2 }' "$headers")"
[[ $location == /load/* ]] || fail "POST /load/cpu answered 202 without a /load/ Location: $(cat "$headers")"
echo "smoke-arm64: POST /load/cpu?millicores=500&seconds=5: $status, Location $location"
status="$(call 10 -X DELETE "$app$location")"
[ "$status" = "200" ] || fail "DELETE $location answered $status: $(cat "$body")"
echo "smoke-arm64: DELETE $location: $status, $(grep -o '"state":"[^"]*"' "$body")"

load_status=0
timeout -s KILL 60 "${emulate[@]}" "$dir/hello-load" --url "$app" --demand 200m --duration 3s >"$load_log" 2>&1 || load_status=$?
[ "$load_status" -eq 0 ] || {
  cat "$load_log" >&2
  fail "hello-load --url $app --demand 200m --duration 3s exited $load_status (its output above)"
}
summary="$(awk '/^load: [a-z]+ after|^  sent |^  200: / { sub(/^ +/, ""); printf "%s%s", sep, $0; sep = "; " }' "$load_log")"
echo "smoke-arm64: hello-load --url $app --demand 200m --duration 3s: exit 0; $summary"

term_ms="$(now_ms)"
kill -TERM "$pid"
exit_deadline_ms=$((term_ms + exit_timeout_s * 1000))
while kill -0 "$pid" 2>/dev/null && [ "$(now_ms)" -lt "$exit_deadline_ms" ]; do
  sleep 0.1
done
kill -0 "$pid" 2>/dev/null && fail "still running ${exit_timeout_s} s after SIGTERM"
exit_code=0
wait "$pid" || exit_code=$?
pid=""
[ "$exit_code" -eq 0 ] || fail "exit code after SIGTERM was $exit_code, expected 0"
echo "smoke-arm64: SIGTERM: exit code 0 after $(($(now_ms) - term_ms)) ms (Server__DrainSeconds=$drain_s)"
echo "smoke-arm64: PASS"
