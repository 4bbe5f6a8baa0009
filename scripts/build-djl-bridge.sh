#!/usr/bin/env bash
# Builds DJL's PyTorch native bridge (libdjl_torch.so, DJL's engines/pytorch/pytorch-native JNI
# sources) at the project's DJL version against a given libtorch, and lays it where DJL's PyTorch
# engine looks for the bridge of a custom libtorch. docs/gpu.md says when and why.
#
#   # 1. here (a JDK is needed for `javac -h`; the GPU machine has no JDK): pack DJL's sources
#   scripts/build-djl-bridge.sh prepare <DJL source folder or .tar.gz at v0.35.1> <out.tar.gz>
#   # 2. where the libtorch is: compile, and lay the bridge under DJL's cache
#   scripts/build-djl-bridge.sh build <prepared.tar.gz> <DJL cache dir> \
#       (--python <python with torch> | --libtorch <libtorch folder>) [--flavor cpu|cuNNN] [--cmake-prefix D]
#   # or lay an existing bridge (what the CPU check does with the bridge Maven already has)
#   scripts/build-djl-bridge.sh install <libdjl_torch.so> <DJL cache dir> --libtorch <dir> --version X.Y.Z --flavor F
#
# build and install print the environment that makes DJL load that libtorch with that bridge, and
# write it to <DJL cache dir>/pytorch-env.sh (source it before starting the service).
#
# Where the bridge goes (DJL 0.35.1, ai.djl.pytorch.jni.LibUtils): with PYTORCH_LIBRARY_PATH set to
# a folder holding libtorch.so, DJL takes the version from PYTORCH_VERSION and the flavor from
# PYTORCH_FLAVOR (unset, it guesses "cpu-precxx11" or "cu<CUDA>-precxx11", neither of which is
# what we build), loads every library in that folder, then looks for the bridge at
#   1. <PYTORCH_LIBRARY_PATH>/<djl version>-libdjl_torch.so, then <PYTORCH_LIBRARY_PATH>/libdjl_torch.so
#   2. <ENGINE_CACHE_DIR or DJL_CACHE_DIR>/pytorch/<version>-<flavor>-linux-x86_64/<djl version>-libdjl_torch.so
#   3. else it copies the pytorch-jni jar's bridge for <flavor> (built for libtorch 2.7.1 only), or
#      downloads one (refused offline).
# A Python install's torch/lib is not ours to write into, so the bridge goes to 2.
#
# DJL's sources are a build input, never part of this repository. Patches for a newer libtorch
# than DJL was written for go in patch_sources below, each with its reason.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

die() { echo "build-djl-bridge: $*" >&2; exit 2; }

djl_version() { # the project's DJL version, from pom.xml (or DJL_VERSION when the pom is not here)
  if [ -n "${DJL_VERSION:-}" ]; then echo "$DJL_VERSION"; return; fi
  sed -n 's:.*<djl.version>\(.*\)</djl.version>.*:\1:p' "$here/pom.xml" | head -n1
}

classifier() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) echo linux-x86_64 ;;
    Linux-aarch64) echo linux-aarch64 ;;
    *) die "only Linux is handled: $(uname -s)-$(uname -m)" ;;
  esac
}

# bridge_dir CACHE VERSION FLAVOR: the folder of rule 2 above
bridge_dir() {
  [[ "$2" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "version '$2' is not X.Y.Z (DJL's LibUtils rejects it)"
  [[ "$3" =~ ^(cpu|cu[0-9]+)$ ]] || die "flavor '$3' is not cpu or cuNNN"
  echo "$1/pytorch/$2-$3-$(classifier)"
}

# lay SO CACHE LIBTORCH VERSION FLAVOR: copy the bridge into place and write the environment
lay() {
  local so="$1" cache="$2" lib="$3" version="$4" flavor="$5" dir djl
  [ -f "$so" ] || die "no bridge at $so"
  [ -f "$lib/libtorch.so" ] || die "$lib holds no libtorch.so"
  if [ -e "$lib/libdjl_torch.so" ] || ls "$lib"/*-libdjl_torch.so >/dev/null 2>&1; then
    die "$lib already holds a libdjl_torch.so, which DJL would load before the cache's (rule 1)"
  fi
  if [ -n "${ENGINE_CACHE_DIR:-}" ] && [ "$ENGINE_CACHE_DIR" != "$cache" ]; then
    die "ENGINE_CACHE_DIR=$ENGINE_CACHE_DIR is set: DJL would look there, not in $cache"
  fi
  djl=$(djl_version)
  dir=$(bridge_dir "$cache" "$version" "$flavor")
  mkdir -p "$dir"
  cp "$so" "$dir/$djl-libdjl_torch.so"
  cat >"$cache/pytorch-env.sh" <<EOF
export DJL_CACHE_DIR=$(cd "$cache" && pwd)
export PYTORCH_LIBRARY_PATH=$(cd "$lib" && pwd)
export PYTORCH_VERSION=$version
export PYTORCH_FLAVOR=$flavor
EOF
  echo "bridge: $dir/$djl-libdjl_torch.so"
  cat "$cache/pytorch-env.sh"
}

# patch_sources SRC TORCH_VERSION: source changes a newer libtorch needs. None is known yet: the
# sources have been compiled against libtorch 2.7.1 (DJL's own build) only. Add each patch the
# GPU machine's compile demands here, as a sed or a patch file with its reason, keyed on the
# libtorch version, so the 2.7.1 build stays DJL's own.
patch_sources() {
  local src="$1" version="$2"
  : "$src" "$version"
}

prepare() {
  local in="$1" out="$2" djl src work
  djl=$(djl_version)
  command -v javac >/dev/null || [ -n "${JAVA_HOME:-}" ] || die "prepare needs a JDK (javac -h writes the JNI header)"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  if [ -d "$in" ]; then src="$in"; else
    mkdir "$work/in" && tar -xzf "$in" -C "$work/in"
    src=$(dirname "$(find "$work/in" -path '*/engines/pytorch/pytorch-native/CMakeLists.txt' | head -n1)")/../../..
  fi
  [ -f "$src/engines/pytorch/pytorch-native/CMakeLists.txt" ] || die "$in is not DJL's source tree"
  local have
  have=$(sed -n 's/^djl *= *"\(.*\)"/\1/p' "$src/gradle/libs.versions.toml" 2>/dev/null || true)
  [ "$have" = "$djl" ] || die "$in is DJL '$have', the project uses $djl (pom.xml djl.version)"
  mkdir -p "$work/djl/api/src/main" "$work/djl/engines/pytorch"
  cp -r "$src/api/src/main/native" "$work/djl/api/src/main/"
  cp -r "$src/engines/pytorch/pytorch-native" "$work/djl/engines/pytorch/"
  rm -rf "$work/djl/engines/pytorch/pytorch-native/build" "$work/djl/engines/pytorch/pytorch-native/libtorch"
  mkdir -p "$work/djl/engines/pytorch/pytorch-native/build/include" "$work/classes"
  # the header DJL's build.sh makes the same way; CMakeLists.txt includes build/include
  "${JAVA_HOME:+$JAVA_HOME/bin/}javac" -h "$work/djl/engines/pytorch/pytorch-native/build/include" -d "$work/classes" \
    "$src/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
  # DJL's CMakeLists.txt wants jni.h (find_package(JNI)), and the GPU machine has no JDK: carry the
  # JDK's two JNI headers (GPL with the Classpath exception, a build input like DJL's sources).
  local jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
  [ -f "$jdk/include/jni.h" ] || die "no jni.h under $jdk/include"
  mkdir -p "$work/djl/jni-include/linux"
  cp "$jdk/include/jni.h" "$work/djl/jni-include/"
  cp "$jdk/include/linux/jni_md.h" "$work/djl/jni-include/linux/"
  echo "$djl" >"$work/djl/DJL_VERSION"
  tar -czf "$out" -C "$work" djl
  echo "prepared: $out ($(stat -c %s "$out") bytes, DJL $djl)"
}

# torch_facts PYTHON: prints "<cmake prefix> <lib dir> <X.Y.Z> <cpu|cuNNN>"
torch_facts() {
  "$1" - <<'EOF'
import os, re, torch, torch.utils
v = re.match(r"(\d+\.\d+\.\d+)", torch.__version__).group(1)
cuda = torch.version.cuda
flavor = "cu" + cuda.replace(".", "") if cuda else "cpu"
print(torch.utils.cmake_prefix_path, os.path.join(os.path.dirname(torch.__file__), "lib"), v, flavor)
EOF
}

build() {
  local prepared="$1" cache="$2"; shift 2
  local python="" libtorch="" flavor="" cmake_prefix="" prefix lib version guessed work src jobs
  while [ $# -gt 0 ]; do
    case "$1" in
      --python) python="$2"; shift 2 ;;
      --libtorch) libtorch="$2"; shift 2 ;;
      --flavor) flavor="$2"; shift 2 ;;
      --cmake-prefix) cmake_prefix="$2"; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  [ -f "$prepared" ] || die "no prepared DJL sources at $prepared (make them with: $0 prepare ...)"
  if [ -n "$python" ]; then
    local facts
    facts=$(torch_facts "$python") || die "$python cannot import torch"
    read -r prefix lib version guessed <<<"$facts"
  elif [ -n "$libtorch" ]; then
    [ -f "$libtorch/lib/libtorch.so" ] || die "$libtorch/lib/libtorch.so is missing"
    prefix="$libtorch/share/cmake"; lib="$libtorch/lib"
    version=$(sed -n 's/^\([0-9]*\.[0-9]*\.[0-9]*\).*/\1/p' "$libtorch/build-version" 2>/dev/null || true)
    [ -n "$version" ] || die "$libtorch/build-version is missing: which libtorch is it?"
    guessed=$(ls "$lib"/libtorch_cuda.so >/dev/null 2>&1 && echo cuda || echo cpu)
  else
    die "give --python or --libtorch"
  fi
  # a libtorch whose CMake files live elsewhere (Debian's libtorch-dev: /usr/lib/<triplet>/cmake)
  prefix="${cmake_prefix:-$prefix}"
  flavor="${flavor:-$guessed}"
  [ "$flavor" != cuda ] || die "a libtorch folder with CUDA: say which, --flavor cuNNN"
  bridge_dir "$cache" "$version" "$flavor" >/dev/null
  work=$(mktemp -d)
  tar -xzf "$prepared" -C "$work"
  src="$work/djl/engines/pytorch/pytorch-native"
  [ "$(cat "$work/djl/DJL_VERSION")" = "$(djl_version)" ] || die "$prepared is DJL $(cat "$work/djl/DJL_VERSION"), the project uses $(djl_version)"
  patch_sources "$work/djl" "$version"
  jobs=$(nproc 2>/dev/null || echo 2)
  local cuda_flag="" pt_flag=""
  [[ "$flavor" == cu* ]] && cuda_flag="-DUSE_CUDA=1"
  # as DJL's own build.sh: the sources keep a code path for these older libtorch APIs
  [[ "$version" =~ ^(1\.13\..*|2\.0\.1|2\.1\..*)$ ]] && pt_flag="-DPT_VERSION=V1_13_X"
  # The rpath to the libtorch folder: DJL loads libtorch first, so the bridge would find it either
  # way, but ldd and LD_BIND_NOW=1 (which shows an ABI mismatch at load) then work on the file alone.
  # Makefiles, not Ninja: the CUDA relink below edits the link command Makefiles write.
  cmake -S "$src" -B "$src/build" -G 'Unix Makefiles' \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" $cuda_flag $pt_flag \
    -DJAVA_INCLUDE_PATH="$work/djl/jni-include" -DJAVA_INCLUDE_PATH2="$work/djl/jni-include/linux" \
    -DJAVA_JVM_LIBRARY=NotNeeded \
    -DCMAKE_SHARED_LINKER_FLAGS="-Wl,-rpath,$lib"
  cmake --build "$src/build" -j "$jobs"
  if [[ "$flavor" == cu* ]]; then
    # As DJL's build.sh does: relink without the toolkit's libcudart/libnvrtc, so the bridge does
    # not pin the CUDA runtime of whatever toolkit compiled it; libtorch_cuda brings its own.
    sed -i -r 's#[^ ;]*/lib(cudart|nvrtc)\.so(\.[0-9.]+)?##g' "$src/build/CMakeFiles/djl_torch.dir/link.txt"
    rm "$src/build/libdjl_torch.so"
    (cd "$src/build" && bash CMakeFiles/djl_torch.dir/link.txt)
  fi
  LD_BIND_NOW=1 ldd -r "$src/build/libdjl_torch.so" | grep -i "undefined" && die "unresolved symbols (above)" || true
  lay "$src/build/libdjl_torch.so" "$cache" "$lib" "$version" "$flavor"
  rm -rf "$work"
}

install_only() {
  local so="$1" cache="$2"; shift 2
  local libtorch="" version="" flavor=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --libtorch) libtorch="$2"; shift 2 ;;
      --version) version="$2"; shift 2 ;;
      --flavor) flavor="$2"; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  [ -n "$libtorch" ] && [ -n "$version" ] && [ -n "$flavor" ] || die "install needs --libtorch, --version and --flavor"
  lay "$so" "$cache" "$libtorch" "$version" "$flavor"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  prepare) [ $# -eq 2 ] || die "usage: $0 prepare <DJL source folder or .tar.gz> <out.tar.gz>"; prepare "$@" ;;
  build) [ $# -ge 2 ] || die "usage: $0 build <prepared.tar.gz> <DJL cache dir> (--python P | --libtorch D) [--flavor F]"; build "$@" ;;
  install) [ $# -ge 2 ] || die "usage: $0 install <libdjl_torch.so> <DJL cache dir> --libtorch D --version X.Y.Z --flavor F"; install_only "$@" ;;
  *) die "usage: $0 prepare|build|install ... (see the comment at the top)" ;;
esac
