#!/usr/bin/env bash
# The reference for the benchmark: steps S01, S03, S04, S05 and S07 done by hand with kubectl, as
# the document does them, then waiting the way a person would (`oc get co` until it settles).
#   bench/kubectl-procedure.sh KUBECONFIG CACHE_DIR
# The PV names the lab's NFS server where the lab says it runs (nfs.server in the lab folder's
# profile-settings: an address of its own network namespace), else 127.0.0.1.
set -euo pipefail
k=(kubectl --kubeconfig "$1" --cache-dir "$2")
nfs="$(sed -n 's/^nfs\.server=//p' "$(dirname "$1")/profile-settings" 2>/dev/null)"
nfs="${nfs:-127.0.0.1}"
"${k[@]}" patch configs.imageregistry.operator.openshift.io cluster --type merge -p '{"spec":{"managementState":"Managed"}}'
# the embedded lab serves no OpenAPI document, so client-side validation is off
"${k[@]}" apply --validate=false -f - <<YAML
apiVersion: v1
kind: PersistentVolume
metadata: {name: internal-registry}
spec:
  capacity: {storage: 200Gi}
  accessModes: [ReadWriteMany]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: ""
  nfs: {path: /nfs, server: $nfs}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: internal-registry-pvc, namespace: openshift-image-registry}
spec:
  accessModes: [ReadWriteMany]
  resources: {requests: {storage: 200Gi}}
  storageClassName: ""
YAML
"${k[@]}" patch configs.imageregistry.operator.openshift.io cluster --type merge -p '{"spec":{"storage":{"pvc":{"claim":"internal-registry-pvc"}}}}'
"${k[@]}" patch configs.imageregistry.operator.openshift.io cluster --type merge -p '{"spec":{"storage":{"managementState":"Managed"}}}'
"${k[@]}" wait -n openshift-image-registry pvc/internal-registry-pvc --for=jsonpath='{.status.phase}'=Bound --timeout=60s
"${k[@]}" wait co/image-registry --for=condition=Available=True --timeout=60s
"${k[@]}" wait co/image-registry --for=condition=Progressing=False --timeout=60s
"${k[@]}" get pod -n openshift-image-registry -l docker-registry=default
