#!/usr/bin/env bash
# The batch run's speed and memory: the default job (every tracked recipient, both benefactors) in a
# release build, timed over several runs, once with every format and once with CSV alone. Each figure is
# set against its target; the script fails when one is missed. Usage: benches/batch-run.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
# Targets: a batch an analyst reruns at will, on a 2-core machine.
max_wall_all=30      # seconds, every format
max_rss_all=1024     # MiB, every format
max_wall_csv=5       # seconds, CSV alone
max_rss_csv=256      # MiB, CSV alone

command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time; Debian package time)" >&2; exit 1; }
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Prints the median wall time (s) and the largest peak RSS (MiB) of `runs` runs of mdime with $@.
measure() {
  local walls=() rss=0
  for _ in $(seq "$runs"); do
    rm -rf "$out/reports"
    /usr/bin/time -f '%e %M' -o "$out/time" target/release/mdime run --output "$out/reports" "$@" >/dev/null
    read -r wall kib <"$out/time"
    walls+=("$wall")
    rss=$(( kib / 1024 > rss ? kib / 1024 : rss ))
  done
  printf '%s\n' "${walls[@]}" | sort -n | awk -v rss="$rss" '{w[NR]=$1} END {printf "%.2f %d\n", w[int((NR+1)/2)], rss}'
}

status=0
check() {
  local name=$1 wall=$2 rss=$3 max_wall=$4 max_rss=$5
  local verdict=ok
  if awk -v w="$wall" -v m="$max_wall" 'BEGIN {exit !(w > m)}' || [ "$rss" -gt "$max_rss" ]; then verdict=MISSED; status=1; fi
  printf '%-14s median wall %6.2f s (target ≤ %3d s)   peak RSS %5d MiB (target ≤ %4d MiB)   %s\n' \
    "$name" "$wall" "$max_wall" "$rss" "$max_rss" "$verdict"
}

echo "mdime run over every tracked recipient, $runs runs each, $(nproc) cores"
read -r wall rss < <(measure)
check "every format" "$wall" "$rss" "$max_wall_all" "$max_rss_all"
read -r wall rss < <(measure --format csv)
check "CSV alone" "$wall" "$rss" "$max_wall_csv" "$max_rss_csv"
exit $status
