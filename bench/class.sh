#!/usr/bin/env bash
# Benchmark: a class of embedded labs on this machine. For N = 1, 4 and 8 (or the Ns given),
# `./regcheck class --labs N` (every lab healthy: the procedure applied, all 43 checks) is run once,
# and its wall time, the class's peak resident memory (every lab's process tree at once, sampled
# every 200 ms by regcheck itself) and the mean peak per lab are read from its class.json. The
# reference is the class of one lab in the same invocation: wall_ratio = wall(8) / wall(1).
#
#   bench/class.sh [N...]        default: 1 4 8 (the ratio needs 1 and the largest N)
#   REGCHECK_CLASS_PARALLEL=K    labs at once (default: regcheck's, the machine's cores)
set -euo pipefail
cd "$(dirname "$0")/.."
ns=("$@")
[[ ${#ns[@]} -eq 0 ]] && ns=(1 4 8)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
./regcheck list >/dev/null   # build outside the measurement
parallel=()
[[ -n "${REGCHECK_CLASS_PARALLEL:-}" ]] && parallel=(--parallel "$REGCHECK_CLASS_PARALLEL")

declare -A wall rss per passed
for n in "${ns[@]}"; do
  ./regcheck class --labs "$n" "${parallel[@]}" --report-dir "$work/$n" >"$work/$n.log" 2>&1 || true
  if [[ ! -f "$work/$n/latest/class.json" ]]; then
    echo "bench: the class of $n wrote no report:" >&2
    cat "$work/$n.log" >&2
    exit 2
  fi
  read -r wall[$n] rss[$n] per[$n] passed[$n] < <(python3 - "$work/$n/latest/class.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
labs = c["labs"]
ok = sum(1 for l in labs if l["exitCode"] == 0 and l["totals"] == {"PASS": 43})
print(f'{c["durationMs"] / 1000:.1f} {c["peakRssMiB"]} {sum(l["peakRssMiB"] for l in labs) // len(labs)} {ok}/{len(labs)}')
PY
)
done

first=${ns[0]}
last=${ns[${#ns[@]}-1]}
printf '%-6s %10s %10s %16s %16s %12s\n' labs wall_s ratio class_peak_MiB per_lab_peak_MiB all_43_PASS
for n in "${ns[@]}"; do
  ratio=$(python3 -c "print(f'{${wall[$n]} / ${wall[$first]}:.2f}')")
  printf '%-6s %10s %10s %16s %16s %12s\n' "$n" "${wall[$n]}" "$ratio" "${rss[$n]}" "${per[$n]}" "${passed[$n]}"
done
cores=$(nproc)
echo "($cores cores; labs at once: ${REGCHECK_CLASS_PARALLEL:-$cores})"
echo "RESULT labs=$last wall_ratio=$(python3 -c "print(f'{${wall[$last]} / ${wall[$first]}:.2f}')") rss_mib=${rss[$last]} per_lab_rss_mib=${per[$last]} wall_s=${wall[$last]} one_lab_wall_s=${wall[$first]} cores=$cores"
