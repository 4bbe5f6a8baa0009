# Sourced: exports JAVA_HOME pointing at a JDK of version 21 or newer.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p'; }
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME" 2>/dev/null || echo 0)" -lt 21 ]; then
  best=""
  for jdk in /usr/lib/jvm/*; do
    [ -x "$jdk/bin/javac" ] || continue
    v=$(java_major "$jdk" 2>/dev/null || echo 0)
    if [ "${v:-0}" -ge 21 ] && { [ -z "$best" ] || [ "$v" -gt "$(java_major "$best")" ]; }; then best=$jdk; fi
  done
  if [ -z "$best" ]; then
    echo "no JDK 21+ found: install one (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME" >&2
    exit 1
  fi
  export JAVA_HOME=$best
fi
echo "using JAVA_HOME=$JAVA_HOME"
