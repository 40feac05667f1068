#!/usr/bin/env bash
# The end-to-end scenarios on a real cluster (kind, in .github/workflows/e2e.yml).
# Needs: helm and kubectl on PATH, a kubeconfig whose context is $KIND_CONTEXT, the built CLI.
set -euo pipefail
cd "$(dirname "$0")/../.."
ctx=${KIND_CONTEXT:?set KIND_CONTEXT}
ns=videokit
cli=(node bin/videokit-rollback.js --namespace "$ns" --context "$ctx")
fail() { echo "FAIL: $*" >&2; exit 1; }

kubectl --context "$ctx" create namespace "$ns" --dry-run=client -o yaml | kubectl --context "$ctx" apply -f -
# Two releases, two revisions each (3.8 then 3.9), like the drill's 41 -> 42.
for rel in videokit-api videokit-worker; do
  helm upgrade --install "$rel" test/kind/chart --namespace "$ns" --kube-context "$ctx" --set image.tag=3.8 --wait --timeout 3m
  helm upgrade "$rel" test/kind/chart --namespace "$ns" --kube-context "$ctx" --set image.tag=3.9 --wait --timeout 3m
done
# A release with a single revision, to be skipped.
helm upgrade --install videokit-single test/kind/chart --namespace "$ns" --kube-context "$ctx" --wait --timeout 3m

echo "--- wrong TARGET_ENV is refused (exit 2)"
set +e; TARGET_ENV=prod "${cli[@]}" --release videokit-api --dry-run; code=$?; set -e
[ "$code" = 2 ] || fail "expected exit 2, got $code"

echo "--- dry-run plans revision 1 and changes nothing"
"${cli[@]}" --release videokit-api --release videokit-worker --dry-run --output json > dry.json
node -e 'const d=JSON.parse(require("fs").readFileSync("dry.json","utf8")); const t=d.plan.releases.map(r=>r.target.revision).join(","); if(t!=="1,1") {console.error("targets",t); process.exit(1)}'
[ "$(helm history videokit-api -n "$ns" --kube-context "$ctx" -o json | node -pe 'JSON.parse(require("fs").readFileSync(0)).length')" = 2 ] || fail "dry-run changed history"

echo "--- execute rolls both back and skips the single-revision release"
"${cli[@]}" --release videokit-api --release videokit-single --release videokit-worker --execute --yes --timeout 5m --transcript reports/deploy/kind.jsonl
for rel in videokit-api videokit-worker; do
  last=$(helm history "$rel" -n "$ns" --kube-context "$ctx" -o json | node -pe 'const h=JSON.parse(require("fs").readFileSync(0)); const l=h[h.length-1]; l.status+" "+l.description')
  [ "$last" = "deployed Rollback to 1" ] || fail "$rel: $last"
  image=$(kubectl get deployment "$rel" -n "$ns" --context "$ctx" -o jsonpath='{.spec.template.spec.containers[0].image}')
  [ "$image" = "registry.k8s.io/pause:3.8" ] || fail "$rel runs $image"
done
grep -q '"type":"outcome","time":"[^"]*","status":"rolled-back"' reports/deploy/kind.jsonl || fail "transcript outcome"

echo "--- a target that never becomes ready: helm's own wait fails first (exit 4) within the budget"
helm upgrade --install videokit-broken test/kind/chart --namespace "$ns" --kube-context "$ctx" --set image.tag=does-not-exist
helm upgrade videokit-broken test/kind/chart --namespace "$ns" --kube-context "$ctx" --set image.tag=3.9 --wait --timeout 3m
start=$(date +%s)
set +e; "${cli[@]}" --release videokit-broken --execute --yes --timeout 40s; code=$?; set -e
elapsed=$(( $(date +%s) - start ))
[ "$code" = 4 ] || fail "expected exit 4, got $code"
[ "$elapsed" -le 60 ] || fail "took ${elapsed}s for a 40s budget"

echo "all kind scenarios passed"
