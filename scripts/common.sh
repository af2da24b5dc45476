# shellcheck shell=bash
# What the scripts share (sourced, not run): command-line handling, a free port, the kernel's
# symbol, the clang driver. For options, a script defines usage(), fills the associative array
# OPTION_VARS (option -> variable name), optionally defines handle_option OPTION VALUE (returns
# non-zero for options it does not know), then calls parse_options "$@".

# die_usage MESSAGE: the message and the usage on stderr, exit status 2.
die_usage() {
  echo "${0##*/}: $1" >&2
  usage >&2
  exit 2
}

# in_range VALUE MIN MAX: VALUE is an unsigned integer (at most 9 digits) within [MIN, MAX].
in_range() { [[ $1 =~ ^[0-9]{1,9}$ ]] && ((10#$1 >= $2 && 10#$1 <= $3)); }

# parse_options ARGS...: -h or --help prints the usage and exits 0; every other option takes a
# value and sets the variable OPTION_VARS names for it (or goes to handle_option); anything else
# is a usage error.
parse_options() {
  while [[ $# -gt 0 ]]; do
    if [[ $1 == -h || $1 == --help ]]; then
      usage
      exit 0
    fi
    # ${x+set} rather than -v: the subscript (a user's argument) is not evaluated again.
    if [[ -n $1 && -n ${OPTION_VARS[$1]+set} ]]; then
      [[ $# -ge 2 && -n $2 ]] || die_usage "option $1 needs a value"
      printf -v "${OPTION_VARS[$1]}" '%s' "$2"
    elif ! declare -F handle_option >/dev/null || ! handle_option "$1" "${2-}"; then
      die_usage "unknown option: $1"
    fi
    (($# >= 2)) || die_usage "option $1 needs a value"
    shift 2
  done
}

# free_port [OTHER]: a loopback port nothing listens on, not OTHER (bounded tries). It is drawn
# below the kernel's ephemeral range, where no client connection's local port can take it
# before the service binds it.
free_port() {
  local port tries low=32768
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  ((low > 20001)) || low=32768
  for ((tries = 0; tries < 50; tries++)); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % (low - 20000)))
    if [[ $port != "${1:-}" ]] && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "${0##*/}: no free port found" >&2
  return 1
}

# kernel_address SYMBOLS-FILE: the address (hex, no 0x) of the CPU kernel's hot function in the
# symbols (HelloService.dbg) of a Native AOT build; empty when it is not there. publish-aot.sh
# puts the function on a 64-byte boundary, smoke-aot.sh checks that it is. Needs nm (binutils).
kernel_symbol=HelloService_HelloService_Ackermann_AckermannKernel__Burn
kernel_address() { nm "$1" | awk -v s="$kernel_symbol" '$3 == s { print $1 }'; }

# clang_driver: the clang compiler driver on PATH (clang, else the newest clang-NN), empty when
# there is none. Native AOT links a cross-architecture binary with it: gcc rejects the --target
# option the SDK passes then. Used by publish-aot.sh and install-cross-arm64.sh.
clang_driver() {
  command -v clang && return 0
  compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -n 1
}
