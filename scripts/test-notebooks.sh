#!/usr/bin/env bash
# Executes every notebook in notebooks/ headless with the GoNB kernel and fails on any error
# output: nbconvert itself exits 0 when a Go cell panics, so scripts/check-notebook.py inspects the
# executed notebook (errors, panics, "exit status N", figures that did not appear).
#   scripts/test-notebooks.sh          quick mode (GANLAB_QUICK=1), outputs to a temp dir: the test
#   scripts/test-notebooks.sh --full   full runs, outputs written back into notebooks/ for committing
#   scripts/test-notebooks.sh [--full] notebooks/02-*.ipynb   only some notebooks
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
full=false
if [ "${1:-}" = "--full" ]; then full=true; shift; fi
shopt -s nullglob
notebooks=("$@")
[ ${#notebooks[@]} -gt 0 ] || notebooks=(notebooks/*.ipynb)
if [ ${#notebooks[@]} -eq 0 ]; then
  echo "notebooks: none"
  exit 0
fi
command -v jupyter >/dev/null || { echo "notebooks: jupyter missing — run scripts/deps.sh" >&2; exit 1; }
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
export GOMLX_BACKEND="${GOMLX_BACKEND:-go}"
if $full; then unset GANLAB_QUICK; out_dir=notebooks; else export GANLAB_QUICK=1; out_dir=$logs; fi
status=0
for nb in "${notebooks[@]}"; do
  name=$(basename "$nb" .ipynb)
  start=$(date +%s)
  if ! jupyter nbconvert --to notebook --execute --allow-errors \
      --ExecutePreprocessor.timeout=$($full && echo 7200 || echo 1800) --ExecutePreprocessor.kernel_name=gonb \
      --output-dir "$out_dir" --output "$name" "$nb" >"$logs/$name.log" 2>&1; then
    echo "notebooks: $nb did not execute:"; tail -20 "$logs/$name.log"; status=1; continue
  fi
  if /usr/bin/python3 scripts/check-notebook.py "$out_dir/$name.ipynb"; then
    echo "notebooks: $nb ok ($(( $(date +%s) - start )) s$($full && echo ', full run, outputs saved'))"
  else
    status=1
  fi
done
exit $status
