#!/usr/bin/env bash
# Regenerates the committed TorchScript module of the bfloat16 path
# (src/main/resources/io/ganserve/engine/precision/mixed_ops.pt) from src/main/torchscript/mixed_ops.py.
# Needs a Python with torch (Debian: apt-get install python3-torch, 1.13 scripts a module that
# DJL's libtorch 2.7 loads). Building and running ganserve do not need it: the .pt is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-/usr/bin/python3}
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "build-torchscript: $python has no torch (apt-get install python3-torch)" >&2
  exit 1
fi
out=src/main/resources/io/ganserve/engine/precision/mixed_ops.pt
"$python" src/main/torchscript/mixed_ops.py "$out"
echo "build-torchscript: wrote $out ($(stat -c %s "$out") bytes) with torch $("$python" -c 'import torch; print(torch.__version__)')"
