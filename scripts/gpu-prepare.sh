#!/usr/bin/env bash
# Fills the folder a lent GPU machine's call carries (.device-carry/, ignored by git) with what
# scripts/gpu-run.sh needs there: the runtime bundle (scripts/gpu-bundle.sh), DJL's native sources
# at the project's DJL version with their JNI header (scripts/build-djl-bridge.sh prepare), and
# Fashion-MNIST's 10,000 test images. Fails when the whole would not fit one call (64 MiB).
#
#   scripts/gpu-prepare.sh <DJL source folder or .tar.gz at the pom's djl.version> [--no-package]
#
# DJL's sources: git clone --branch v0.35.1 https://github.com/deepjavalibrary/djl, or GitHub's
# tarball of that tag. They are a build input, never committed here.
set -euo pipefail
cd "$(dirname "$0")/.."
djl_src="${1:?DJL source folder or tarball}"
. .mvn/jdk.sh
ganserve_select_jdk
[ -z "${JAVA_HOME:-}" ] || export JAVA_HOME
carry=.device-carry
rm -rf "$carry"; mkdir -p "$carry/fashion-mnist"
scripts/gpu-bundle.sh ${2:-}
cp target/gpu-bundle/ganserve-bundle.tar.xz "$carry/"
djl=$(sed -n 's:.*<djl.version>\(.*\)</djl.version>.*:\1:p' pom.xml | head -n1)
scripts/build-djl-bridge.sh prepare "$djl_src" "$carry/djl-native-$djl.tar.gz"
fm="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
cp "$fm/t10k-images-idx3-ubyte.gz" "$fm/t10k-labels-idx1-ubyte.gz" "$carry/fashion-mnist/"
total=$(du -cb "$carry" $(git ls-files) | tail -n1 | cut -f1)
echo "carried: $(du -sb "$carry" | cut -f1) bytes in $carry, $total with the working tree"
[ "$total" -le $((64 * 1048576)) ] || { echo "over 64 MiB: split the call" >&2; exit 1; }
