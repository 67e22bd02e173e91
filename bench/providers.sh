#!/usr/bin/env bash
# Benchmark: the healthy demo with each lab provider on this machine. `./regcheck demo --provider host`
# and `--provider containers` are run alternately R times each (default 3); the wall time of each run
# (the whole command: JVM, lab start, procedure applied, 43 checks, report, everything stopped) and the
# lab's own start ("ready in … ms") are taken, and the medians compared: the reference is the host
# provider in the same invocation, ratio = containers / host. The containers provider's images are
# built once before the measurement (the engine keeps them). Without DOCKER_HOST the engine is started
# with bin/container-engine (root) and stopped at the end.
#
#   bench/providers.sh [R]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
work="$(mktemp -d)"
started_engine=""
cleanup() {
  rm -rf "$work"
  [[ -n "$started_engine" ]] && bin/container-engine stop
  return 0
}
trap cleanup EXIT
if [[ -z "${DOCKER_HOST:-}" ]]; then
  eval "$(bin/container-engine start)"
  started_engine=yes
fi
./regcheck list >/dev/null   # build outside the measurement
./regcheck demo --provider containers --report-dir "$work/warm" >"$work/warm.log" 2>&1 || {
  echo "bench: the containers demo failed before the measurement:" >&2; tail -20 "$work/warm.log" >&2; exit 2; }

declare -A walls readies
for i in $(seq 1 "$runs"); do
  for p in host containers; do
    t0=$(date +%s%N)
    ./regcheck demo --provider "$p" --report-dir "$work/$p-$i" >"$work/$p-$i.log" 2>&1 || {
      echo "bench: demo --provider $p failed:" >&2; tail -20 "$work/$p-$i.log" >&2; exit 2; }
    t1=$(date +%s%N)
    grep -q "12 of 12 steps pass — 43 PASS" "$work/$p-$i.log" || { echo "bench: $p run $i is not 43 PASS" >&2; exit 2; }
    walls[$p]+="$(( (t1 - t0) / 1000000 )) "
    readies[$p]+="$(sed -n 's/.*ready at .* in \([0-9]*\) ms.*/\1/p' "$work/$p-$i.log") "
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
host_wall=$(echo "${walls[host]}" | median)
cont_wall=$(echo "${walls[containers]}" | median)
host_ready=$(echo "${readies[host]}" | median)
cont_ready=$(echo "${readies[containers]}" | median)
printf '%-12s %14s %16s %s\n' provider median_wall_s lab_ready_s "runs (wall ms)"
s() { awk -v ms="$1" 'BEGIN {printf "%.1f", ms / 1000}'; }
printf '%-12s %14s %16s %s\n' host "$(s "$host_wall")" "$(s "$host_ready")" "${walls[host]}"
printf '%-12s %14s %16s %s\n' containers "$(s "$cont_wall")" "$(s "$cont_ready")" "${walls[containers]}"
ratio=$(awk -v c="$cont_wall" -v h="$host_wall" 'BEGIN {printf "%.2f", c / h}')
echo "RESULT host_wall_s=$(s "$host_wall") containers_wall_s=$(s "$cont_wall") wall_ratio=$ratio runs=$runs"
