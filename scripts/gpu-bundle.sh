#!/usr/bin/env bash
# Builds the runtime bundle that one call to a lent GPU machine can carry (at most 64 MiB, and that
# machine has no Java): a jlink JRE with only the modules the service needs, the application's
# jar and its dependencies WITHOUT DJL's CPU libtorch (pytorch-native-cpu, 107 MB), and a launcher.
# libtorch then comes from wherever PYTORCH_LIBRARY_PATH points (docs/gpu.md).
#
#   scripts/gpu-bundle.sh [--no-package]      # writes target/gpu-bundle/ganserve-bundle.tar.xz
#
# --no-package reuses target/ganserve-*.jar instead of running ./mvnw -o -DskipTests package first.
#
# Why each step (sizes are what docs/gpu.md records):
# - modules: jdeps' answer for the jar and every dependency, plus java.naming (JNDI, which Tomcat
#   and H2 look up at run time and jdeps' static view misses). java.desktop stays: the samples'
#   PNGs are written with javax.imageio.
# - pytorch-jni keeps only its linux-x86_64 bridges (cpu, cu128): the macOS, Windows and aarch64
#   ones are 7 MB nobody here loads.
# - every jar is re-stored uncompressed and the JRE linked without compression, and the whole is
#   compressed once with xz: one solid stream finds the redundancy between classes that
#   per-entry deflate cannot, which is what brings the bundle under 64 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
ganserve_select_jdk
JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}"

package=1
if [ "${1:-}" = "--no-package" ]; then package=0; elif [ -n "${1:-}" ]; then
  echo "usage: $0 [--no-package]" >&2; exit 2
fi
if [ "$package" = 1 ]; then
  ./mvnw -o -q -DskipTests package
fi
jar=$(ls target/ganserve-*.jar 2>/dev/null | grep -v -- '-plain' | head -n1 || true)
if [ -z "$jar" ]; then
  echo "no target/ganserve-*.jar: run without --no-package" >&2; exit 1
fi

out=target/gpu-bundle
rm -rf "$out"
mkdir -p "$out"
stage="$out/ganserve"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The application as a plain class path (app jar + lib/), Spring Boot's own extracted layout.
"${JAVA_BIN}java" -Djarmode=tools -jar "$jar" extract --destination "$stage/app" >/dev/null
mv "$stage"/app/ganserve-*.jar "$stage/app/ganserve.jar"
rm -f "$stage"/app/lib/pytorch-native-cpu-*.jar

# pytorch-jni: only the linux-x86_64 bridges
jni=$(ls "$stage"/app/lib/pytorch-jni-*.jar)
zip -q -d "$jni" 'jnilib/osx-*' 'jnilib/win-*' 'jnilib/linux-aarch64/*'

# Re-store every jar without compression (xz compresses the whole bundle below).
for j in "$stage"/app/ganserve.jar "$stage"/app/lib/*.jar; do
  rm -rf "$work/x" && mkdir "$work/x"
  unzip -q -o "$j" -d "$work/x"
  rm "$j"
  (cd "$work/x" && zip -q -0 -r -X "$OLDPWD/$j" .)
done

modules=$("${JAVA_BIN}jdeps" --print-module-deps --ignore-missing-deps --multi-release 21 \
  --class-path "$stage/app/lib/*" "$stage/app/ganserve.jar")
modules="$modules,java.naming"
echo "modules: $modules"
"${JAVA_BIN}jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress zip-0 --output "$stage/jre"

cat >"$stage/ganserve" <<'EOF'
#!/usr/bin/env bash
# Starts the service with the bundle's JRE. libtorch is not in the bundle: set PYTORCH_LIBRARY_PATH
# (a folder holding libtorch.so), PYTORCH_VERSION and PYTORCH_FLAVOR (docs/gpu.md). Extra
# arguments go to Spring Boot (--server.port=8080, --ganserve.engine.device=gpu, ...).
here="$(cd "$(dirname "$0")" && pwd)"
if [ -z "${PYTORCH_LIBRARY_PATH:-}" ]; then
  echo "PYTORCH_LIBRARY_PATH is not set: this bundle carries no libtorch (docs/gpu.md)" >&2
  exit 2
fi
exec "$here/jre/bin/java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true \
  ${GANSERVE_JAVA_OPTS:-} -cp "$here/app/ganserve.jar" io.ganserve.GanServeApplication "$@"
EOF
chmod +x "$stage/ganserve"

tar -C "$out" -cf - ganserve | xz -9e -T2 >"$out/ganserve-bundle.tar.xz"
size=$(stat -c %s "$out/ganserve-bundle.tar.xz")
echo "bundle: $out/ganserve-bundle.tar.xz $size bytes ($(echo "scale=1; $size / 1048576" | bc) MiB);" \
  "unpacked $(du -sb "$stage" | cut -f1) bytes"
if [ "$size" -gt $((64 * 1048576)) ]; then
  echo "over 64 MiB: it no longer fits one call" >&2; exit 1
fi
