# Sourced by ./specula and ./test: sets SPECULA_JAVA_HOME to a JDK 25 or newer.
# Order: $JAVA_HOME, the `java` on PATH, then the system's usual JVM folders.

specula_java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

specula_find_jdk() {
  local candidates=() dir java major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if java=$(command -v java 2>/dev/null); then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$java")")")")
  fi
  for dir in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$dir" ] && candidates+=("$dir")
  done
  for dir in "${candidates[@]}"; do
    [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || continue
    major=$(specula_java_major "$dir/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      SPECULA_JAVA_HOME=$dir
      return 0
    fi
  done
  echo "specula: no JDK 25 or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm). Install one or set JAVA_HOME." >&2
  return 1
}
