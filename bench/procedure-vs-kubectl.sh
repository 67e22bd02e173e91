#!/usr/bin/env bash
# Benchmark: wall time and peak memory of `./regcheck run --lab sandbox --mode apply` (performs
# S01, S03, S04, S05, S07 and verifies all 14 checks, writing the full report) against the
# reference, bench/kubectl-procedure.sh — the same steps done by hand with kubectl, waiting until
# the PVC is Bound and the cluster operator has settled. Each round starts a fresh embedded lab
# (`./regcheck lab up`) for each tool; both run on this machine in the same invocation.
#
# Ends with one line: RESULT wall_ratio= rss_ratio= (regcheck / kubectl, medians).
#
#   bench/procedure-vs-kubectl.sh [ROUNDS]      default 3; needs kubectl and GNU time
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
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
command -v kubectl >/dev/null || { echo "bench: kubectl is needed for the reference" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "bench: GNU time is needed: apt-get install time" >&2; exit 2; }
./regcheck list >/dev/null   # build outside the measurement

start_lab() {
  ./regcheck lab up >"$work/lab.log" 2>&1 &
  lab_pid=$!
  for _ in $(seq 1 600); do
    grep -q "^Ctrl-C stops" "$work/lab.log" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench: the lab did not start" >&2
  cat "$work/lab.log" >&2
  exit 2
}

measure() {  # NAME COMMAND...  → appends "NAME seconds maxrss_kib"
  local name=$1
  shift
  if ! /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/$name.log" 2>&1; then
    echo "bench: $name failed" >&2
    tail -30 "$work/$name.log" >&2
    exit 2
  fi
  echo "$name $(cat "$work/time")" >>"$work/results"
}

for _ in $(seq 1 "$rounds"); do
  start_lab
  measure kubectl bench/kubectl-procedure.sh .regcheck/lab/kubeconfig "$work/kube-cache"
  stop_lab
  start_lab
  measure regcheck ./regcheck run --lab sandbox --mode apply --checks "S01*,S03*,S04*,S05*,S06*,S07*" --report-dir "$work/reports"
  grep -q "steps pass — 14 PASS —" "$work/regcheck.log" || { echo "bench: regcheck did not pass everything" >&2; tail -20 "$work/regcheck.log" >&2; exit 2; }
  stop_lab
done

python3 - "$work/results" "$rounds" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def med(name, col):
    return statistics.median(float(r[col]) for r in rows if r[0] == name)
k_t, r_t = med("kubectl", 1), med("regcheck", 1)
k_m, r_m = med("kubectl", 2) / 1024, med("regcheck", 2) / 1024
print(f"rounds: {sys.argv[2]} (median)")
print(f"{'':28}{'wall s':>8}{'peak RSS MiB':>14}")
print(f"{'kubectl by hand (reference)':28}{k_t:8.2f}{k_m:14.1f}")
print(f"{'regcheck run --mode apply':28}{r_t:8.2f}{r_m:14.1f}")
print(f"ratio regcheck/kubectl: wall {r_t / k_t:.2f}x, peak RSS {r_m / k_m:.2f}x")
print("regcheck does the same steps and also verifies 14 checks and writes the report.")
print(f"RESULT wall_ratio={r_t / k_t:.2f} rss_ratio={r_m / k_m:.2f} regcheck_wall_s={r_t:.2f} kubectl_wall_s={k_t:.2f} "
      f"regcheck_rss_mib={r_m:.0f} kubectl_rss_mib={k_m:.0f} rounds={sys.argv[2]}")
PY
