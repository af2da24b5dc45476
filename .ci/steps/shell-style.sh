#!/usr/bin/env bash
# Every tracked shell script in one style (shfmt: 2-space indent, indented case items, binary
# operators at the start of a continued line) and shellcheck clean. Fix the style with:
#   git ls-files -z | xargs -0 shfmt -f | xargs shfmt -i 2 -ci -bn -w
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in shfmt shellcheck; do
  command -v "$tool" >/dev/null || {
    echo "$tool not found (Debian package $tool)" >&2
    exit 1
  }
done
mapfile -t scripts < <(git ls-files -z | xargs -0 shfmt -f)
[ "${#scripts[@]}" -gt 0 ] || {
  echo "no shell scripts found" >&2
  exit 1
}
status=0
shfmt -i 2 -ci -bn -d "${scripts[@]}" || {
  echo "shfmt: the scripts above differ from the house style" >&2
  status=1
}
shellcheck "${scripts[@]}" || status=1
echo "${#scripts[@]} scripts checked: ${scripts[*]}"
exit "$status"
