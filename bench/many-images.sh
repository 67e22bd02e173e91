#!/usr/bin/env bash
# Benchmark: regcheck against a lab holding what a long-lived cluster accumulates (`lab up --fault
# many-images`: 20,000 Images, 2,000 events) against the same on a healthy lab (the reference), in
# the same invocation, with the harness's heap capped at 256 MiB. Each round starts a fresh lab of
# each kind in a JVM of its own (so the harness's memory is its own), does the procedure with
# `run --mode apply`, then times `run --mode verify` (all 43 checks, pushes and pulls, the full
# report): the nightly job's run. Apply is timed too, but its wall time is dominated by waiting for
# the lab's rollouts, which vary from run to run by more than the difference measured here.
# Reports medians, the verify ratio (target: <= 1.2), the harness's peak heap (the largest
# occupancy before a collection, from its GC log) and how long each lab took to start.
#
#   bench/many-images.sh [ROUNDS]      default 3; needs GNU time
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
heap_mib=256
work="$(mktemp -d)"
lab_pid=""
stop_lab() {
  if [[ -n "$lab_pid" ]] && kill -0 "$lab_pid" 2>/dev/null; then
    kill -TERM "$lab_pid"   # a background job ignores SIGINT; TERM runs the same shutdown hooks
    wait "$lab_pid" 2>/dev/null || true
  fi
  lab_pid=""
}
trap 'stop_lab; rm -rf "$work"' EXIT
[[ -x /usr/bin/time ]] || { echo "bench: GNU time is needed: apt-get install time" >&2; exit 2; }
./regcheck list >/dev/null   # build outside the measurement

start_lab() {  # NAME [lab up options...] → appends "NAME-lab seconds"
  local name=$1
  shift
  local began
  began=$(date +%s%N)
  ./regcheck lab up "$@" >"$work/lab.log" 2>&1 &
  lab_pid=$!
  for _ in $(seq 1 3000); do
    if grep -q "^Ctrl-C stops" "$work/lab.log" 2>/dev/null; then
      echo "$name-lab $(awk "BEGIN { print ($(date +%s%N) - $began) / 1e9 }")" >>"$work/results"
      return 0
    fi
    kill -0 "$lab_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench: the lab did not start ($name)" >&2
  cat "$work/lab.log" >&2
  exit 2
}

run() {  # NAME MODE → appends "NAME-MODE seconds maxrss_kib peak_heap_mib"
  local name=$1 mode=$2
  rm -f "$work/gc.log"
  if ! REGCHECK_JAVA_OPTS="-Xmx${heap_mib}m -Xlog:gc:file=$work/gc.log" /usr/bin/time -f "%e %M" -o "$work/time" \
      ./regcheck run --lab sandbox --mode "$mode" --report-dir "$work/reports" >"$work/$name.log" 2>&1; then
    echo "bench: the $name $mode run failed" >&2
    tail -30 "$work/$name.log" >&2
    exit 2
  fi
  grep -q "^43 PASS" "$work/$name.log" || { echo "bench: $name $mode did not pass all 43 checks" >&2; tail -20 "$work/$name.log" >&2; exit 2; }
  local peak
  peak=$(grep -o ' [0-9]*M->' "$work/gc.log" | tr -d ' M>-' | sort -n | tail -1)
  echo "$name-$mode $(cat "$work/time") ${peak:-0}" >>"$work/results"
}

for _ in $(seq 1 "$rounds"); do
  start_lab healthy
  run healthy apply
  run healthy verify
  stop_lab
  start_lab many-images --fault many-images
  run many-images apply
  run many-images verify
  stop_lab
done

python3 - "$work/results" "$rounds" "$heap_mib" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def med(name, col):
    return statistics.median(float(r[col]) for r in rows if r[0] == name)
def most(name, col):
    return max(float(r[col]) for r in rows if r[0] == name)
h_t, m_t = med("healthy-verify", 1), med("many-images-verify", 1)
h_a, m_a = med("healthy-apply", 1), med("many-images-apply", 1)
h_rss, m_rss = med("healthy-verify", 2) / 1024, med("many-images-verify", 2) / 1024
h_heap = max(most("healthy-verify", 3), most("healthy-apply", 3))
m_heap = max(most("many-images-verify", 3), most("many-images-apply", 3))
h_lab, m_lab = med("healthy-lab", 1), med("many-images-lab", 1)
limit = int(sys.argv[3])
print(f"rounds: {sys.argv[2]} (median; peak heap is the largest of any run), harness heap capped at {limit} MiB")
print(f"{'':30}{'verify s':>9}{'apply s':>9}{'peak RSS MiB':>14}{'peak heap MiB':>15}{'lab start s':>13}")
print(f"{'healthy lab (reference)':30}{h_t:9.2f}{h_a:9.2f}{h_rss:14.1f}{h_heap:15.0f}{h_lab:13.2f}")
print(f"{'many-images (20,000 Images)':30}{m_t:9.2f}{m_a:9.2f}{m_rss:14.1f}{m_heap:15.0f}{m_lab:13.2f}")
print(f"ratio many-images/healthy: verify wall {m_t / h_t:.2f}x (target <= 1.20), apply wall {m_a / h_a:.2f}x, "
      f"peak heap {m_heap:.0f} of {limit} MiB")
print(f"RESULT many_images_wall_ratio={m_t / h_t:.2f} healthy_verify_s={h_t:.2f} many_images_verify_s={m_t:.2f} "
      f"apply_ratio={m_a / h_a:.2f} many_images_peak_heap_mib={m_heap:.0f} heap_limit_mib={limit} "
      f"many_images_rss_mib={m_rss:.0f} healthy_lab_start_s={h_lab:.2f} many_images_lab_start_s={m_lab:.2f}")
PY
