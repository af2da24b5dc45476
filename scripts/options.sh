# shellcheck shell=bash
# Command-line handling shared by the benchmark and load scripts (sourced, not run). A script
# defines usage(), fills the associative array OPTION_VARS (option -> variable name), optionally
# defines handle_option OPTION VALUE (returns non-zero for options it does not know), then calls
# parse_options "$@".

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
    if [[ -v "OPTION_VARS[$1]" ]]; then
      [[ $# -ge 2 && -n $2 ]] || die_usage "option $1 needs a value"
      printf -v "${OPTION_VARS[$1]}" '%s' "$2"
    elif ! declare -F handle_option >/dev/null || ! handle_option "$1" "${2-}"; then
      die_usage "unknown option: $1"
    fi
    shift 2
  done
}
