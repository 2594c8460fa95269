#!/usr/bin/env bash
# The event import at scale: synthetic GDELT 2.0 exports of 1M, 10M and 100M records, imported by a
# release build of `mdime import events` and aggregated by DuckDB running sql/gdelt_events.sql on the
# same records; wall time and peak RSS of each, set against the targets (10M ≤ 30 s and ≤ 1 GiB; 100M ≤
# 300 s and ≤ 1 GiB; within 2× of DuckDB). The script fails when one is missed. Then, for sizes written
# to a file, the import again with one more update of a hundredth the size (`+1 file`): the file imported
# before is taken from its part, the new one read alone.
#
# Usage: benches/events.sh [SIZE…]   (default: 1000000 10000000 100000000)
#        MDIME=path/to/mdime benches/events.sh …   (time another build, an earlier release for instance)
#
# Records are as narrow as the layout allows (the columns an import reads filled, the rest empty: about
# 100 bytes a record). Sizes up to 10M are written to a file in $TMPDIR and deleted after; larger ones
# are streamed through a named pipe from the generator, once for mdime and once for DuckDB, so that a
# hundred million records (10 GB) never touch the disk. Both read the pipe as they read a file; the
# generator's time is inside both measurements.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000 100000000)
file_limit=10000000

command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time; Debian package time)" >&2; exit 1; }
cargo build --release --quiet
cargo build --release --quiet --example gdelt_synthetic
venv=target/py-venv
duckdb_version=1.4.4
if ! "$venv/bin/python" -c "import duckdb" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "duckdb==$duckdb_version"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
datasets="$work/datasets"
mkdir -p "$datasets"
for table in benefactors countries cameo_country_codes cameo_instruments cameo_name_variants office_holders icews_sectors; do
  cp "datasets/$table.csv" "$datasets/"
done
generate=target/release/examples/gdelt_synthetic
mdime=${MDIME:-target/release/mdime}
# The benefactors the import keeps (every one datasets/benefactors.csv lists), for DuckDB's run.
benefactors=$(tail -n +2 datasets/benefactors.csv | cut -d, -f1 | paste -sd, -)

# Runs "$@" under GNU time; prints wall seconds and peak RSS in MiB.
timed() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; return 1; }
  read -r wall kib <"$work/time"
  echo "$wall $(( kib / 1024 ))"
}

status=0
printf '%-11s %-7s %10s %10s   %s\n' records engine "wall (s)" "RSS (MiB)" input
for n in "${sizes[@]}"; do
  input="$work/gdelt-$n.export.CSV"
  if [ "$n" -le "$file_limit" ]; then
    "$generate" "$n" >"$input"
    how="file, $(( $(stat -c %s "$input") / 1000000 )) MB"
  else
    how="named pipe"
  fi
  feed() { if [ -p "$input" ] || [ ! -e "$input" ]; then rm -f "$input"; mkfifo "$input"; "$generate" "$n" >"$input" & fi; }
  [ "$n" -le "$file_limit" ] || feed
  read -r m_wall m_rss < <(timed "$mdime" import events --datasets "$datasets" "$input")
  printf '%-11s %-7s %10.1f %10d   %s\n' "$n" mdime "$m_wall" "$m_rss" "$how"
  if [ "$n" -le "$file_limit" ]; then
    more="$work/gdelt-$n-more.export.CSV"
    "$generate" $(( n / 100 )) "$n" >"$more"
    read -r i_wall i_rss < <(timed "$mdime" import events --datasets "$datasets" "$input" "$more")
    printf '%-11s %-7s %10.1f %10d   %s\n' "$n" "+1 file" "$i_wall" "$i_rss" "the same and $(( n / 100 )) more records in a second file"
    rm -f "$more"
  fi
  [ "$n" -le "$file_limit" ] || { wait; feed; }
  read -r d_wall d_rss < <(timed "$venv/bin/python" tests/data/reference/gdelt_sql.py sql/gdelt_events.sql "$datasets" "$work/duckdb.csv" "$benefactors" "$input")
  printf '%-11s %-7s %10.1f %10d   %s\n' "$n" duckdb "$d_wall" "$d_rss" "$how"
  wait
  rm -f "$input"
  ratio=$(awk -v m="$m_wall" -v d="$d_wall" 'BEGIN {printf "%.2f", m / d}')
  verdict=ok
  case "$n" in
    10000000) awk -v w="$m_wall" 'BEGIN {exit !(w > 30)}' && verdict=MISSED; [ "$m_rss" -gt 1024 ] && verdict=MISSED ;;
    100000000) awk -v w="$m_wall" 'BEGIN {exit !(w > 300)}' && verdict=MISSED; [ "$m_rss" -gt 1024 ] && verdict=MISSED ;;
  esac
  awk -v r="$ratio" 'BEGIN {exit !(r > 2)}' && verdict=MISSED
  [ "$verdict" = ok ] || status=1
  printf '%-11s mdime / duckdb wall %s   %s\n' "$n" "$ratio" "$verdict"
done
exit $status
