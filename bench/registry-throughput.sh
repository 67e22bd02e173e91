#!/usr/bin/env bash
# Benchmark: push and pull of a fresh random layer through the embedded lab's registry service
# (real docker-registry, TLS verified against the service CA, token login), regcheck's registry
# client (dev.regcheck.bench.BenchClient, one JVM per operation, like one skopeo process per
# operation) against skopeo, alternating which goes first, on this machine in one invocation.
# Every measurement uses a layer of its own, so neither tool can mount or skip a known blob.
# Then one push and pull of a 1 GiB layer by regcheck with the heap capped at 64 MiB (-Xmx64m),
# printing the peak heap it used.
#
#   bench/registry-throughput.sh [PAIRS] [LAYER_MIB]      defaults 5 and 256; needs skopeo, root
set -euo pipefail
cd "$(dirname "$0")/.."
pairs="${1:-5}"
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
[[ "$(id -u)" -eq 0 ]] || { echo "bench: needs root (unshare -m gives skopeo the service's name)" >&2; exit 2; }
./regcheck list >/dev/null   # build outside the measurement
cp="$(cat target/classpath.txt):target/classes"

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

# an OCI layout with one random layer of $1 MiB (not compressed: random bytes do not compress)
layout() {
  python3 - "$1" "$2" <<'PY'
import hashlib, json, os, sys
d, mib = sys.argv[1], int(sys.argv[2])
os.makedirs(d + "/blobs/sha256")
def put(path_bytes=None, stream=None):
    h = hashlib.sha256(); tmp = d + "/blobs/tmp"; n = 0
    with open(tmp, "wb") as f:
        for chunk in (stream if stream else [path_bytes]):
            h.update(chunk); f.write(chunk); n += len(chunk)
    os.rename(tmp, d + "/blobs/sha256/" + h.hexdigest()); return "sha256:" + h.hexdigest(), n
layer = put(stream=(os.urandom(1 << 20) for _ in range(mib)))
cfg = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [layer[0]]}}).encode()
c = put(cfg)
man = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": c[0], "size": c[1]},
  "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": layer[0], "size": layer[1]}]}).encode()
m = put(man)
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
  "digest": m[0], "size": m[1], "annotations": {"org.opencontainers.image.ref.name": "bench"}}]}, open(d + "/index.json", "w"))
open(d + "/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
print(m[0])
PY
}

timed() {  # NAME COMMAND... → appends "NAME seconds"
  local name=$1 start end
  shift
  start=$(date +%s%N)
  if ! "$@" >"$work/out.log" 2>&1; then
    echo "bench: $name failed" >&2
    tail -20 "$work/out.log" >&2
    exit 2
  fi
  end=$(date +%s%N)
  echo "$name $(( (end - start) / 1000000 ))" >>"$work/results"
}

regcheck_push() { java -XX:+UseSerialGC -cp "$cp" dev.regcheck.bench.BenchClient push "$1" bench "$registry" "$2"; }
regcheck_pull() { java -XX:+UseSerialGC -cp "$cp" dev.regcheck.bench.BenchClient pull "$registry" "$1" "$2"; }
skopeo_push() {
  sandboxed skopeo copy --quiet --preserve-digests --dest-creds "bench:$token" --dest-cert-dir "$work/certs" \
    "oci:$1:bench" "docker://$registry/$2"
}
skopeo_pull() {
  sandboxed skopeo copy --quiet --src-creds "bench:$token" --src-cert-dir "$work/certs" "docker://$registry/$1" "dir:$2"
}

for i in $(seq 1 "$pairs"); do
  for tool in regcheck skopeo; do
    digest="$(layout "$work/$tool-$i" "$mib")"
    echo "$tool $i $digest" >>"$work/digests"
  done
  order=(regcheck skopeo)
  (( i % 2 == 0 )) && order=(skopeo regcheck)
  for tool in "${order[@]}"; do
    timed "$tool-push" "${tool}_push" "$work/$tool-$i" "bench/throughput:$tool-$i"
  done
  for tool in "${order[@]}"; do
    digest="$(awk -v t="$tool" -v n="$i" '$1==t && $2==n {print $3}' "$work/digests")"
    timed "$tool-pull" "${tool}_pull" "bench/throughput@$digest" "$work/pulled-$tool-$i"
    rm -rf "$work/pulled-$tool-$i" "$work/$tool-$i"
  done
done

# the heap figure: 1 GiB through regcheck with the heap capped at 64 MiB
digest="$(layout "$work/big" 1024)"
java -XX:+UseSerialGC -Xmx64m -cp "$cp" dev.regcheck.bench.BenchClient push "$work/big" bench "$registry" \
  "bench/throughput:big" >"$work/big-push.log" 2>&1 || { cat "$work/big-push.log" >&2; exit 2; }
java -XX:+UseSerialGC -Xmx64m -cp "$cp" dev.regcheck.bench.BenchClient pull "$registry" \
  "bench/throughput@$digest" "$work/pulled-big" >"$work/big-pull.log" 2>&1 || { cat "$work/big-pull.log" >&2; exit 2; }

python3 - "$work/results" "$pairs" "$mib" "$work/big-push.log" "$work/big-pull.log" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
pairs, mib = int(sys.argv[2]), int(sys.argv[3])
def med(name):
    return statistics.median(float(s) / 1000 for n, s in rows if n == name)
print(f"{pairs} pairs, a fresh random {mib} MiB layer per operation, alternating order; median wall time per process")
for op in ("push", "pull"):
    r, s = med(f"regcheck-{op}"), med(f"skopeo-{op}")
    print(f"  {op}: regcheck {r:.2f} s ({mib / r:.0f} MiB/s)  skopeo {s:.2f} s ({mib / s:.0f} MiB/s)  ratio regcheck/skopeo {r / s:.2f}")
print("1 GiB layer with -Xmx64m:")
print("  " + open(sys.argv[4]).read().strip())
print("  " + open(sys.argv[5]).read().strip())
PY
