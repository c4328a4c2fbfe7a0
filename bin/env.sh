# Sourced by the bin/ scripts: the JDK the project builds with, and the project root.
STREAMLAKE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export STREAMLAKE_ROOT
export STREAMLAKE_PROJECT_ROOT="$STREAMLAKE_ROOT"
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export PATH="$JAVA_HOME/bin:$PATH"
CHDB_VERSION=26.7.3-stable.1
export STREAMLAKE_CHDB_LIB="${STREAMLAKE_CHDB_LIB:-$STREAMLAKE_ROOT/.cache/chdb/$CHDB_VERSION/libchdb.so}"
# Maven 3.9 on JDK 24+ warns about sun.misc.Unsafe on every run; the flag exists only on those JDKs.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
