#!/usr/bin/env bash
# Benchmark: how long regcheck takes to start and to do its main job, after the build.
#  - `./regcheck list` (the whole command: the launcher script, a JVM, the catalog printed), N cold
#    processes; beside it, in the same invocation, the floors and a reference: `java -version` with the
#    same JVM flags (the JVM's own start, which no Java CLI goes below), and `kubectl version --client`
#    (a Go CLI's start). list_ratio = regcheck list / kubectl version --client.
#  - the healthy `./regcheck demo` (host provider): JVM, lab start, the procedure applied, 43 checks,
#    the reports (Allure's too), everything stopped; R runs, with the lab's own "ready in … ms" and the
#    run's own duration from the summary line.
# Medians of each.
#
#   bench/startup.sh [N] [R]      defaults 9 and 3; needs kubectl (bin/lab-packages --test-tools)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-9}"
runs="${2:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v kubectl >/dev/null || { echo "bench: kubectl is the reference: bin/lab-packages --test-tools" >&2; exit 2; }
./regcheck list >/dev/null   # build (and make the class-data archive) outside the measurement

ms() {  # COMMAND... → wall milliseconds of one run, output discarded
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "bench: $* failed" >&2; exit 2; }
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
s() { awk -v ms="$1" 'BEGIN {printf "%.2f", ms / 1000}'; }

declare -A t
for _ in $(seq 1 "$n"); do
  t[list]+="$(ms ./regcheck list) "
  t[java]+="$(ms java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -Xms16m -Xmx512m -version) "
  t[kubectl]+="$(ms kubectl version --client) "
done
for i in $(seq 1 "$runs"); do
  t0=$(date +%s%N)
  ./regcheck demo --provider host --report-dir "$work/demo-$i" >"$work/demo-$i.log" 2>&1 || {
    echo "bench: demo failed:" >&2; tail -20 "$work/demo-$i.log" >&2; exit 2; }
  t1=$(date +%s%N)
  grep -q "12 of 12 steps pass — 43 PASS" "$work/demo-$i.log" || { echo "bench: demo run $i is not 43 PASS" >&2; exit 2; }
  t[demo]+="$(( (t1 - t0) / 1000000 )) "
  t[ready]+="$(sed -n 's/.*ready at .* in \([0-9]*\) ms.*/\1/p' "$work/demo-$i.log") "
  t[run]+="$(sed -n 's/.* PASS — \([0-9]*\) ms — .*/\1/p' "$work/demo-$i.log") "
done

declare -A m
for k in "${!t[@]}"; do m[$k]=$(echo "${t[$k]}" | median); done
printf '%-44s %9s   %s\n' measure "median s" "runs (ms)"
printf '%-44s %9s   %s\n' "./regcheck list (cold process)" "$(s "${m[list]}")" "${t[list]}"
printf '%-44s %9s   %s\n' "java -version, same flags (the JVM's floor)" "$(s "${m[java]}")" "${t[java]}"
printf '%-44s %9s   %s\n' "kubectl version --client (reference)" "$(s "${m[kubectl]}")" "${t[kubectl]}"
printf '%-44s %9s   %s\n' "./regcheck demo, healthy (whole command)" "$(s "${m[demo]}")" "${t[demo]}"
printf '%-44s %9s   %s\n' "  of which the lab's start (ready in)" "$(s "${m[ready]}")" "${t[ready]}"
printf '%-44s %9s   %s\n' "  of which the run (apply + 43 checks)" "$(s "${m[run]}")" "${t[run]}"
ratio=$(awk -v a="${m[list]}" -v b="${m[kubectl]}" 'BEGIN {printf "%.1f", a / b}')
echo "RESULT list_s=$(s "${m[list]}") demo_s=$(s "${m[demo]}") list_ratio=$ratio jvm_floor_s=$(s "${m[java]}") kubectl_s=$(s "${m[kubectl]}") lab_ready_s=$(s "${m[ready]}") run_s=$(s "${m[run]}") lists=$n demos=$runs"
