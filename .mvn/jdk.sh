# Finds a JDK for the build. Sourced by mvnw (and by .ci/jdk.sh), so POSIX sh only, safe under
# mvnw's `set -euf`, and no command besides the java binaries it asks for their version.
#
# The project compiles for Java 21 (pom.xml's java.version). ganserve_select_jdk leaves
# things alone when JAVA_HOME (if set) or else the java on PATH is 21 or newer. Otherwise it exports
# JAVA_HOME as the newest JDK 21+ (bin/java and bin/javac) found one level below a root in
# GANSERVE_JDK_ROOTS (colon-separated; default below: Debian/Ubuntu and RPM packages, Docker's
# Temurin images, SDKMAN!, IntelliJ's downloads, macOS), says so on stderr and returns 0. With none
# found it changes nothing, says what to install on stderr and returns 1 (Maven then fails as it
# would have: "release version 21 not supported").

GANSERVE_JDK_MIN=21

# The feature version of the java executable $1 (17 for 17.0.15, 1 for 1.8), or 0 when it does not run.
ganserve_java_major() {
  _gj_v=0
  if [ -x "$1" ]; then
    _gj_v=$("$1" -XshowSettings:properties -version 2>&1 </dev/null | while IFS= read -r _gj_line; do
      case $_gj_line in
      *"java.specification.version = "*)
        printf '%s\n' "${_gj_line##*= }"
        break
        ;;
      esac
    done) || _gj_v=0
  fi
  _gj_v=${_gj_v%%.*}
  case $_gj_v in '' | *[!0-9]*) _gj_v=0 ;; esac
  printf '%s\n' "$_gj_v"
}

ganserve_select_jdk() {
  if [ -n "${JAVA_HOME:-}" ]; then
    _gs_have=$(ganserve_java_major "$JAVA_HOME/bin/java")
    _gs_what="JAVA_HOME=$JAVA_HOME is Java $_gs_have"
  else
    _gs_java=$(command -v java 2>/dev/null) || _gs_java=
    if [ -n "$_gs_java" ]; then
      _gs_have=$(ganserve_java_major "$_gs_java")
      _gs_what="the java on PATH, $_gs_java, is Java $_gs_have"
    else
      _gs_have=0
      _gs_what="there is no JAVA_HOME and no java on PATH"
    fi
  fi
  if [ "$_gs_have" -ge "$GANSERVE_JDK_MIN" ]; then
    return 0
  fi

  _gs_roots=${GANSERVE_JDK_ROOTS:-/usr/lib/jvm:/usr/lib64/jvm:/usr/java:/opt/java:${HOME:-/nonexistent}/.sdkman/candidates/java:${HOME:-/nonexistent}/.jdks:/Library/Java/JavaVirtualMachines}
  _gs_best=
  _gs_best_v=0
  # mvnw runs with globbing off (set -f): on for the search, restored after.
  case $- in *f*) _gs_noglob=1 ;; *) _gs_noglob= ;; esac
  set +f
  _gs_ifs=$IFS
  IFS=:
  for _gs_root in $_gs_roots; do
    IFS=$_gs_ifs
    [ -d "$_gs_root" ] || continue
    # <root>/<jdk>, and macOS's <root>/<jdk>/Contents/Home
    for _gs_jdk in "$_gs_root"/* "$_gs_root"/*/Contents/Home; do
      [ -x "$_gs_jdk/bin/java" ] && [ -x "$_gs_jdk/bin/javac" ] || continue
      _gs_v=$(ganserve_java_major "$_gs_jdk/bin/java")
      if [ "$_gs_v" -ge "$GANSERVE_JDK_MIN" ] && [ "$_gs_v" -gt "$_gs_best_v" ]; then
        _gs_best=$_gs_jdk
        _gs_best_v=$_gs_v
      fi
    done
  done
  IFS=$_gs_ifs
  [ -z "$_gs_noglob" ] || set -f

  if [ -z "$_gs_best" ]; then
    printf '%s\n' "ganserve needs a JDK $GANSERVE_JDK_MIN+ and $_gs_what; none found under $_gs_roots." \
      "Install one (apt-get install openjdk-21-jdk-headless) or point JAVA_HOME at one." >&2
    return 1
  fi
  JAVA_HOME=$_gs_best
  export JAVA_HOME
  printf '%s\n' "ganserve needs a JDK $GANSERVE_JDK_MIN+ and $_gs_what: using JAVA_HOME=$_gs_best (Java $_gs_best_v)" >&2
  return 0
}
