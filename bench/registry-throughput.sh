#!/usr/bin/env bash
# Benchmark: push and pull through the embedded lab's registry service (real docker-registry, TLS
# verified against the service CA, token login): regcheck's registry client against skopeo, and against
# curl as the limit, on this machine in one invocation. Every operation moves fresh random layers of its
# own, so no tool can mount or skip a known blob.
#  - the pairs (dev.regcheck.bench.ThroughputBench): regcheck's client inside one running JVM, as a
#    regcheck run uses it (a new client, connection and token per operation); skopeo and curl one process
#    per operation (curl: token, POST, PUT of the whole blob; or token, GET into a file). Two shapes: one
#    layer of LAYER_MIB and 8 layers of 16 MiB; tools in rotating order. Medians, MiB/s and ratios, and
#    the time sha256sum takes over a pulled layer (the hashing a verified pull adds to curl's GET).
#  - one cold process of each per operation (regcheck's client in a JVM with ./regcheck's class-data
#    archive, the JVM's default JIT and bin/jit-registry.args: dev.regcheck.bench.BenchClient), one
#    layer of LAYER_MIB, three rounds (fresh layers for every push), medians.
#  - a 1 GiB layer pushed and pulled by regcheck with the heap capped at 64 MiB (-Xmx64m), with the
#    peak heap it used.
# Ends with one line: RESULT push_ratio= push_layers_ratio= pull_ratio= pull_layers_ratio=
# push_limit_ratio= pull_limit_ratio= cold_push_ratio= cold_pull_ratio= heap_mib= (regcheck / reference).
#
#   bench/registry-throughput.sh [PAIRS] [LAYER_MIB]      defaults 7 and 256; needs skopeo, curl, root
set -euo pipefail
cd "$(dirname "$0")/.."
pairs="${1:-7}"
mib="${2:-256}"
work="$(mktemp -d)"
lab_pid=""
stop_lab() {
  if [[ -n "$lab_pid" ]] && kill -0 "$lab_pid" 2>/dev/null; then
    kill -TERM "$lab_pid"
    wait "$lab_pid" 2>/dev/null || true
  fi
  lab_pid=""
}
trap 'stop_lab; rm -rf "$work"' EXIT
command -v skopeo >/dev/null || { echo "bench: skopeo is the reference: bin/lab-packages --test-tools" >&2; exit 2; }
command -v curl >/dev/null || { echo "bench: curl is the limit's reference: apt-get install curl" >&2; exit 2; }
[[ "$(id -u)" -eq 0 ]] || { echo "bench: needs root (unshare -m gives skopeo the service's name)" >&2; exit 2; }
./regcheck list >/dev/null   # build outside the measurement
# ./regcheck's class path and class-data archive, so that a cold BenchClient starts as ./regcheck does
cp="$PWD/target/regcheck-cli.jar:$PWD/target/regcheck-conformance.jar:$(cat target/classpath.txt)"
# and the JVM's own JIT with the early compilation of the code that moves registry bytes that ./regcheck
# gives its registry commands (bin/jit-registry.args); C1 alone (./regcheck's choice for short commands)
# moves bytes at a fifth of the speed, for AES-GCM's and SHA-256's intrinsics are C2's
cold_jvm=(-XX:+UseSerialGC @"$PWD/bin/jit-registry.args" -XX:SharedArchiveFile="$PWD/target/regcheck.jsa"
  -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off -Xms16m -Xmx512m)

./regcheck lab up >"$work/lab.log" 2>&1 &
lab_pid=$!
for _ in $(seq 1 600); do
  grep -q "^Ctrl-C stops" "$work/lab.log" 2>/dev/null && break
  sleep 0.1
done
grep -q "^Ctrl-C stops" "$work/lab.log" || { echo "bench: the lab did not start" >&2; cat "$work/lab.log" >&2; exit 2; }
./regcheck run --lab sandbox --mode apply --checks "S01*,S03*,S04*,S05*,S06*,S07*" --report-dir "$work/reports" >"$work/apply.log" 2>&1 \
  || { echo "bench: applying the procedure failed" >&2; tail -20 "$work/apply.log" >&2; exit 2; }

kc=.regcheck/lab/kubeconfig
svc=image-registry.openshift-image-registry.svc
port="$(kubectl --kubeconfig "$kc" get endpoints image-registry -n openshift-image-registry -o jsonpath='{.subsets[0].ports[0].port}')"
registry="$svc:$port"
mkdir -p "$work/certs"
kubectl --kubeconfig "$kc" get configmap openshift-service-ca.crt -n openshift-image-registry \
  -o jsonpath='{.data.service-ca\.crt}' >"$work/certs/ca.crt"
token="$(awk '/token:/ {print $2; exit}' "$kc")"
printf '127.0.0.1 localhost\n127.0.0.1 %s\n' "$svc" >"$work/hosts"
export REGCHECK_BENCH_TOKEN="$token" REGCHECK_BENCH_CA="$work/certs/ca.crt" REGCHECK_BENCH_ADDRESS=127.0.0.1

# skopeo sees the service's name through a private hosts file; its caches go to a private tmpfs
sandboxed() {
  unshare -m --propagation private sh -c 'set -e; mount --bind "$1" /etc/hosts;
    if [ -d /var/lib/containers ]; then mount -t tmpfs tmpfs /var/lib/containers; else mount -t tmpfs tmpfs /var/lib; fi;
    shift; exec "$@"' sh "$work/hosts" "$@"
}

# the pairs: regcheck's client inside one JVM (as a regcheck run uses it), skopeo one process each
java -XX:+UseSerialGC -cp "$cp" dev.regcheck.bench.ThroughputBench "$pairs" "$mib" "$registry" "$work" \
  "$work/hosts" "$work/certs" 2>"$work/pairs.log" | tee "$work/summary" | grep -v "^ratios " || { cat "$work/pairs.log" >&2; exit 2; }

# for the record, one cold process of each tool per operation: a JVM started for a single
# operation pays its start-up and JIT warm-up (regcheck never runs its client that way). Three rounds,
# each push with fresh layers, the tools alternating; the medians are compared.
cold_rounds=3
mkdir -p "$work/cold"
digest="$(java -XX:+UseSerialGC -cp "$cp" dev.regcheck.bench.ThroughputBench layout "$work/cold/r" "$mib")"
digest2="$(java -XX:+UseSerialGC -cp "$cp" dev.regcheck.bench.ThroughputBench layout "$work/cold/s" "$mib")"
java -XX:+UseSerialGC -cp "$cp" dev.regcheck.bench.BenchClient push "$work/cold/r" bench "$registry" bench/throughput:cold-r \
  >/dev/null 2>&1 || { echo "bench: pushing the cold pulls' layers failed" >&2; exit 2; }
java -XX:+UseSerialGC -cp "$cp" dev.regcheck.bench.BenchClient push "$work/cold/s" bench "$registry" bench/throughput:cold-s \
  >/dev/null 2>&1 || { echo "bench: pushing the cold pulls' layers failed" >&2; exit 2; }
cold() {  # NAME COMMAND...  → appends "NAME milliseconds" to $work/cold.ms (after an untimed sync)
  local name=$1 start end
  shift
  sync
  start=$(date +%s%N)
  "$@" >"$work/cold.log" 2>&1 || { echo "bench: $name failed" >&2; cat "$work/cold.log" >&2; exit 2; }
  end=$(date +%s%N)
  echo "$name $(( (end - start) / 1000000 ))" >>"$work/cold.ms"
}
for n in $(seq 1 "$cold_rounds"); do
  java -XX:+UseSerialGC -cp "$cp" dev.regcheck.bench.ThroughputBench layout "$work/cold/rp$n" "$mib" >/dev/null
  java -XX:+UseSerialGC -cp "$cp" dev.regcheck.bench.ThroughputBench layout "$work/cold/sp$n" "$mib" >/dev/null
  cold regcheckpush java "${cold_jvm[@]}" -cp "$cp" dev.regcheck.bench.BenchClient push "$work/cold/rp$n" bench "$registry" \
    "bench/throughput:cold-rp$n"
  cold skopeopush sandboxed skopeo copy --quiet --preserve-digests --dest-authfile "$work/auth.json" \
    --dest-cert-dir "$work/certs" "oci:$work/cold/sp$n:bench" "docker://$registry/bench/throughput:cold-sp$n"
  cold regcheckpull java "${cold_jvm[@]}" -cp "$cp" dev.regcheck.bench.BenchClient pull "$registry" "bench/throughput@$digest" \
    "$work/cold/pr$n"
  cold skopeopull sandboxed skopeo copy --quiet --src-authfile "$work/auth.json" --src-cert-dir "$work/certs" \
    "docker://$registry/bench/throughput@$digest2" "dir:$work/cold/ps$n"
  rm -rf "$work/cold/rp$n" "$work/cold/sp$n" "$work/cold/pr$n" "$work/cold/ps$n"
done
rm -rf "$work/cold"
ms() { awk -v k="$1" '$1 == k {print $2}' "$work/cold.ms" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
echo "one cold process each, median of $cold_rounds (regcheck: ./regcheck's class-data archive, the JVM's default JIT with bin/jit-registry.args):"
for k in "regcheck push:regcheckpush" "skopeo push  :skopeopush" "regcheck pull:regcheckpull" "skopeo pull  :skopeopull"; do
  printf '  %s %.2f s   (runs: %s ms)\n' "${k%%:*}" "$(awk -v m="$(ms "${k##*:}")" 'BEGIN {print m / 1000}')" \
    "$(awk -v n="${k##*:}" '$1 == n {printf "%s ", $2}' "$work/cold.ms")"
done

# the heap figure: 1 GiB through regcheck with the heap capped at 64 MiB
digest="$(java -XX:+UseSerialGC -cp "$cp" dev.regcheck.bench.ThroughputBench layout "$work/big" 1024)"
java -XX:+UseSerialGC -Xmx64m -cp "$cp" dev.regcheck.bench.BenchClient push "$work/big" bench "$registry" \
  "bench/throughput:big" >"$work/big-push.log" 2>&1 || { cat "$work/big-push.log" >&2; exit 2; }
java -XX:+UseSerialGC -Xmx64m -cp "$cp" dev.regcheck.bench.BenchClient pull "$registry" \
  "bench/throughput@$digest" "$work/pulled-big" >"$work/big-pull.log" 2>&1 || { cat "$work/big-pull.log" >&2; exit 2; }

echo "1 GiB layer with -Xmx64m:"
echo "  $(cat "$work/big-push.log")"
echo "  $(cat "$work/big-pull.log")"

heap=$(cat "$work/big-push.log" "$work/big-pull.log" | sed -n 's/.*peak heap \([0-9.]*\) MiB.*/\1/p' | sort -n | tail -1)
ratios=$(sed -n 's/^ratios //p' "$work/summary")
echo "RESULT $ratios cold_push_ratio=$(awk -v a="$(ms regcheckpush)" -v b="$(ms skopeopush)" 'BEGIN {printf "%.2f", a / b}') \
cold_pull_ratio=$(awk -v a="$(ms regcheckpull)" -v b="$(ms skopeopull)" 'BEGIN {printf "%.2f", a / b}') heap_mib=$heap pairs=$pairs layer_mib=$mib"
