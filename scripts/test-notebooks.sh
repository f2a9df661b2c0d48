#!/usr/bin/env bash
# Executes every notebook in notebooks/ headless with the GoNB kernel, in quick mode
# (GANLAB_QUICK=1 shortens training), and fails on any error output: nbconvert itself exits 0
# when a Go cell panics, so scripts/check-notebook.py inspects the executed notebook.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
shopt -s nullglob
notebooks=(notebooks/*.ipynb)
if [ ${#notebooks[@]} -eq 0 ]; then
  echo "notebooks: none yet"
  exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export GANLAB_QUICK=1 GOMLX_BACKEND="${GOMLX_BACKEND:-go}"
status=0
for nb in "${notebooks[@]}"; do
  name=$(basename "$nb" .ipynb)
  start=$(date +%s)
  if ! jupyter nbconvert --to notebook --execute --allow-errors \
      --ExecutePreprocessor.timeout=1200 --ExecutePreprocessor.kernel_name=gonb \
      --output-dir "$out" --output "$name" "$nb" >"$out/$name.log" 2>&1; then
    echo "notebooks: $nb did not execute:"; tail -20 "$out/$name.log"; status=1; continue
  fi
  if /usr/bin/python3 scripts/check-notebook.py "$out/$name.ipynb"; then
    echo "notebooks: $nb ok ($(( $(date +%s) - start )) s)"
  else
    status=1
  fi
done
exit $status
