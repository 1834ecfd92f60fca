# Shared by the launchers in scripts/ (sourced, not run): where the checkout is, building it when
# its sources changed, Spark's JVM flags, and a Spark home made from the pinned Spark jars.
# shellcheck shell=bash

dtks_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dtks_classpath_file="$dtks_root/jobs/target/local-run.classpath"

# dtks_fail NAME MESSAGE...: print "NAME: MESSAGE" to stderr and exit 2 (a usage or setup error).
dtks_fail() {
  local name=$1; shift
  echo "$name: $*" >&2
  exit 2
}

# dtks_build_if_stale NAME STAMP SOURCES COMMAND...: run the build COMMAND in the checkout when
# STAMP is missing or older than a file under SOURCES (a folder of the checkout) or a pom, then
# touch STAMP. Keeps the launchers one command away
# from a fresh clone without rebuilding on every run. DTKS_NO_BUILD=1 uses the build as it is: set
# by the project's own integration tests, which run inside a Maven build that just made it.
dtks_build_if_stale() {
  local name=$1 stamp=$2 sources=$3; shift 3
  if [[ "${DTKS_NO_BUILD:-}" == 1 ]]; then
    [[ -f "$dtks_classpath_file" ]] || dtks_fail "$name" "DTKS_NO_BUILD=1 but the project is not built ($dtks_classpath_file is missing)"
    return 0
  fi
  if [[ ! -f "$dtks_classpath_file" || ! -f "$stamp" ]] \
     || [[ -n "$(find "$dtks_root/$sources" "$dtks_root/pom.xml" "$dtks_root/jobs/pom.xml" -newer "$stamp" -print -quit)" ]]; then
    echo "$name: building the project ($*) ..." >&2
    (cd "$dtks_root" && "$@") >&2
    touch "$stamp"
  fi
}

# Spark's JVM module flags (jobs/spark-jvm-flags.properties, checked against the pinned Spark by
# JvmModuleFlagsTest), for JVMs that do not start through Spark's own launcher.
dtks_module_flags() {
  local flags
  flags=$(sed -n 's/^spark\.jvm\.module\.flags=//p' "$dtks_root/jobs/spark-jvm-flags.properties")
  [[ -n "$flags" ]] || dtks_fail "${1:-dtks}" "cannot read spark.jvm.module.flags from jobs/spark-jvm-flags.properties"
  echo "$flags"
}

# The spark-submit jar (jobs/pom.xml's shade plugin), or nothing when it is not built.
dtks_shaded_jar() {
  compgen -G "$dtks_root/jobs/target/dtks-jobs-*-spark.jar" | head -1 || true
}

# dtks_spark_home HOME: make HOME/jars a Spark runtime from the pinned Spark jars, as a Spark
# distribution holds them: the project's run-time class path without what the shaded jar carries
# (Delta, Unity Catalog, typesafe-config, jackson-datatype-jdk8; jobs/pom.xml's shade includes)
# and without test-only DuckDB. A cluster started from it proves the shaded jar is complete.
# Jars are hard-linked from the Maven repository where the file system allows, else copied.
dtks_spark_home() {
  local home=$1 jars
  jars="$home/jars"
  if [[ -f "$home/.built" && "$home/.built" -nt "$dtks_classpath_file" ]]; then
    return 0
  fi
  rm -rf "$jars"
  mkdir -p "$jars"
  local jar count=0
  while IFS= read -r jar; do
    case "$(basename "$jar")" in
      delta-*|unitycatalog-*|config-[0-9]*|jackson-datatype-jdk8-*|duckdb_jdbc-*) continue ;;
    esac
    ln -f "$jar" "$jars/" 2>/dev/null || cp "$jar" "$jars/"
    count=$((count + 1))
  done < <(tr ':' '\n' < "$dtks_classpath_file")
  ls "$jars"/spark-core_*.jar >/dev/null 2>&1 \
    || dtks_fail dtks "no spark-core jar in $dtks_classpath_file: cannot make a Spark home"
  touch "$home/.built"
  echo "dtks: Spark home $home with $count jars" >&2
}
