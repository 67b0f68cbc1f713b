# Sourced by the scripts: picks a JDK >= 25 into JAVA_HOME, or fails saying so. 25 is the floor: the build
# compiles for release 25 (maven.compiler.release in pom.xml) and the FFM code uses its API.
PANOLM_JDK_FLOOR=25
# Whatever these scripts and the panolm command create stays private to the user, JVM crash logs above all:
# an hs_err_pid*.log holds raw memory from around the crash, which can include keys and plaintexts.
umask 077
# The JDK's own release file says its version without starting a JVM (half a second on a busy machine, paid by
# every panolm command); a JDK without one is asked.
panolm_java_major() {
    local v=""
    [ -f "$1/release" ] && v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9.]*\).*"$/\1/p' "$1/release" | head -n1)
    if [ -z "$v" ]; then
        v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1)
    fi
    echo "$v"
}
panolm_pick_jdk() {
    local candidates=()
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    # Debian and vendor packages install JDKs under /usr/lib/jvm; try the newest-looking names first.
    local d
    for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -t- -k2 -V -r); do candidates+=("${d%/}"); done
    local c v
    for c in "${candidates[@]}"; do
        [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
        v=$(panolm_java_major "$c")
        if [ -n "$v" ] && [ "${v%%.*}" -ge "$PANOLM_JDK_FLOOR" ] 2>/dev/null; then
            export JAVA_HOME="$c"
            export PATH="$JAVA_HOME/bin:$PATH"
            return 0
        fi
    done
    echo "panolm needs a JDK $PANOLM_JDK_FLOOR or newer; none was found (JAVA_HOME and /usr/lib/jvm were searched)." >&2
    echo "Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
    return 1
}
# A directory only this user can enter, for the crash logs of the panolm command (-XX:ErrorFile): by default
# the JVM writes them into the working directory. $PANOLM_CRASH_DIR overrides the place; when it cannot be
# made private, a fresh private temporary directory is used instead. Prints the path.
panolm_crash_dir() {
    local d="${PANOLM_CRASH_DIR:-${XDG_STATE_HOME:-${HOME:-/nonexistent}/.local/state}/panolm/crash}"
    if mkdir -p "$d" 2>/dev/null && [ -O "$d" ] && chmod 700 "$d" 2>/dev/null; then
        echo "$d"
    else
        mktemp -d "${TMPDIR:-/tmp}/panolm-crash.XXXXXXXX"
    fi
}
# Maven itself on JDK 24+ warns about sun.misc.Unsafe in its own libraries; that noise is not ours.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
