# Sourced (bash): exports JAVA_HOME as a JDK 21 or newer, by the same selection as mvnw
# (.mvn/jdk.sh), and fails when there is none. mvnw needs none of this; it is for scripts and
# shells that want JAVA_HOME set (`source .ci/jdk.sh`).
. "$(dirname "${BASH_SOURCE[0]:-$0}")/../.mvn/jdk.sh"
if ! ganserve_select_jdk; then
  return 1 2>/dev/null || exit 1
fi
if [ -z "${JAVA_HOME:-}" ]; then
  # the java on PATH is new enough: name its home
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  export JAVA_HOME
fi
echo "using JAVA_HOME=$JAVA_HOME"
