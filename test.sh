#!/usr/bin/env bash
# Runs the Pipeline test suite against a local RabbitMQ broker and a throwaway PostgreSQL.
#
#   ./test.sh [extra `dotnet test` arguments...]
#
# What it does, on a fresh Debian 12 machine or a developer box:
#   1. installs rabbitmq-server, postgresql and python3 from apt when they are not installed yet
#      (Debian's postgresql package creates and starts its own "main" cluster on 5432;
#      the tests do not use it);
#   2. uses a broker that already answers on this machine (and leaves it running),
#      or starts one without systemd (`rabbitmq-server -detached`) and shuts that
#      one down again on exit, also on failure or Ctrl-C;
#   3. starts a throwaway PostgreSQL cluster without systemd: `initdb` into a temporary
#      folder (as the postgres user when run as root, as yourself otherwise), `pg_ctl start`
#      on localhost port 55432 (or the next free one), socket in that folder, fsync off;
#      a password role and database `pipeline_test`. On exit (also on failure) it is
#      stopped (`pg_ctl -m fast stop`) and the folder deleted;
#   4. exports for the tests
#        PIPELINE_TEST_RABBITMQ=amqp://guest:guest@localhost:5672/
#        PIPELINE_TEST_BROKER_CONTROL=1   (tests may run `rabbitmqctl stop_app` /
#                                          `start_app` etc.; 0 when the broker cannot
#                                          be controlled from here)
#        PIPELINE_TEST_POSTGRES=Host=localhost;Port=...;Username=...;Password=...;Database=...
#        PIPELINE_TEST_REQUIRE_POSTGRES=1 (PostgreSQL tests fail, never skip, without it)
#        PIPELINE_TEST_REQUIRE_TMPFS=1    (when a tmpfs mount works here: the real full-disk
#                                          test fails, never skips)
#      with rabbitmqctl on PATH (/usr/sbin is added; for a non-root user with
#      passwordless sudo, a temporary rabbitmqctl that goes through sudo);
#   5. runs `dotnet test Pipeline.sln -c Release --logger "console;verbosity=normal" "$@"`;
#   6. runs the README's main job (`dotnet run --project src/Host -c Release -- finetune`) as a newcomer meets it:
#      in a copy of the tree as a fresh clone has it, with an empty XDG_CACHE_HOME and empty apt package lists
#      (APT_CONFIG); always under CI, elsewhere when no arguments are given (PIPELINE_TEST_SKIP_MAIN_JOB=1 skips it);
#   and exits non-zero when the tests or the main job failed.
#
# Environment switches:
#   PIPELINE_TEST_SH_DRY_RUN=1   do everything (install, start, ping, stop the broker and
#                                PostgreSQL) except `dotnet test`; handy for checking the
#                                service handling without building the solution.
#   PIPELINE_TEST_BROKER_WAIT=N  seconds to wait for a broker we start (default 90).
#   PIPELINE_TEST_POSTGRES_PORT=N first port tried for the throwaway PostgreSQL (default 55432).
#   PIPELINE_TEST_SKIP_MAIN_JOB=1 skip step 6 (not under CI).
#
# A broker this script started is remembered in $TMPDIR/pipeline-test-sh-rabbitmq.pid;
# if a run is killed hard (SIGKILL) and leaves it behind, the next run adopts it and
# shuts it down at the end. Any other running broker is used and left running.
# A PostgreSQL cluster lives in $TMPDIR/pipeline-test-sh-postgres.*, which names the
# test.sh process that owns it; the next run stops and deletes those whose owner is gone.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
# rabbitmq-server and rabbitmqctl live in /usr/sbin, which is not on a normal user's PATH.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export DEBIAN_FRONTEND=noninteractive

log() { printf 'test.sh: %s\n' "$*" >&2; }

AMQP_PORT=5672
WAIT_SECONDS="${PIPELINE_TEST_BROKER_WAIT:-90}"
STATE_FILE="${TMPDIR:-/tmp}/pipeline-test-sh-rabbitmq.pid"

# apt needs root; so does Debian's rabbitmq wrapper (it su's to the rabbitmq user,
# whose HOME holds the Erlang cookie, so server and CLI always agree on it).
SUDO=()
RMQ_SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    SUDO=(sudo)
    if [ "$(id -un)" != rabbitmq ]; then RMQ_SUDO=(sudo); fi
fi

# ---------------------------------------------------------------- install
apt_install_rabbitmq() {
    "${SUDO[@]}" apt-get install -y -q --no-install-recommends rabbitmq-server
}
if ! command -v rabbitmq-server >/dev/null 2>&1; then
    log "rabbitmq-server not found; installing it from apt"
    # Refresh the package lists only when apt does not know the package (fresh image)
    # or the install fails on stale lists.
    if ! apt-cache policy rabbitmq-server 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        "${SUDO[@]}" apt-get update -q
        apt_install_rabbitmq
    elif ! apt_install_rabbitmq; then
        "${SUDO[@]}" apt-get update -q
        apt_install_rabbitmq
    fi
fi

# PostgreSQL for the ledger tests: the newest installed server's binaries (initdb, pg_ctl, psql).
pg_bin_dir() { find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1; }
apt_install_postgresql() {
    "${SUDO[@]}" apt-get install -y -q --no-install-recommends postgresql
}
if [ -z "$(pg_bin_dir)" ] || [ ! -x "$(pg_bin_dir)/initdb" ]; then
    log "PostgreSQL not found; installing postgresql from apt"
    if ! apt-cache policy postgresql 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        "${SUDO[@]}" apt-get update -q
        apt_install_postgresql
    elif ! apt_install_postgresql; then
        "${SUDO[@]}" apt-get update -q
        apt_install_postgresql
    fi
fi
PG_BIN="$(pg_bin_dir)"

# The corpus tests download Debian packages (`apt-get download fortunes-min`): that needs package lists.
if ! apt-cache policy fortunes-min 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    log "apt package lists are empty; running apt-get update for the corpus tests"
    "${SUDO[@]}" apt-get update -q
fi

# A test runs the README's Python signing snippet (standard library only): python3.
if ! command -v python3 >/dev/null 2>&1; then
    log "python3 not found; installing it from apt (a test runs the README's signing snippet)"
    "${SUDO[@]}" apt-get install -y -q --no-install-recommends python3
fi

# Erlang short node names need the host name to resolve; fall back to localhost.
if [ -z "${RABBITMQ_NODENAME:-}" ]; then
    host="$(hostname -s 2>/dev/null || uname -n)"
    if ! getent hosts "$host" >/dev/null 2>&1; then
        log "host name '$host' does not resolve; using node name rabbit@localhost"
        export RABBITMQ_NODENAME=rabbit@localhost
    fi
fi
NODE_SHORT="${RABBITMQ_NODENAME:-rabbit}"
NODE_SHORT="${NODE_SHORT%%@*}"

# Prefix for RabbitMQ tools (sudo resets the environment, so pass RABBITMQ_NODENAME on).
RMQ=()
if [ "${#RMQ_SUDO[@]}" -gt 0 ]; then
    RMQ=(sudo env ${RABBITMQ_NODENAME:+"RABBITMQ_NODENAME=$RABBITMQ_NODENAME"})
fi
rmq() { "${RMQ[@]}" "$@"; }

# ---------------------------------------------------------------- helpers
ping_broker() { rmq rabbitmq-diagnostics -q ping -t 5 >/dev/null 2>&1; }
app_running() { rmq rabbitmq-diagnostics -q check_running >/dev/null 2>&1; }
node_os_pid() { rmq rabbitmqctl -q eval 'os:getpid().' 2>/dev/null | tr -dc '0-9'; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$AMQP_PORT") 2>/dev/null; }
# Speaks AMQP: answers the protocol header with a frame (Connection.Start).
# shellcheck disable=SC2016  # the inner script expands its own $1
amqp_ok() {
    timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "AMQP\0\0\11\1" >&3 &&
        [ "$(head -c 1 <&3 | od -An -tu1 | tr -d " ")" = 1 ]' _ "$AMQP_PORT" 2>/dev/null
}
epmd_has_node() { epmd -names 2>/dev/null | grep -q "^name $NODE_SHORT at port"; }
show_broker_logs() {
    log "last lines of the RabbitMQ logs:"
    rmq sh -c 'tail -n 25 /var/log/rabbitmq/*.log /var/log/rabbitmq/startup_err 2>/dev/null' >&2 || true
}

# PostgreSQL refuses to run as root: root runs it as the postgres user, anyone else as themselves.
PG_AS=()
if [ "$(id -u)" -eq 0 ]; then PG_AS=(runuser -u postgres --); fi
pg() { "${PG_AS[@]}" "$@"; }
# shellcheck disable=SC2317  # also invoked from the EXIT trap
stop_postgres() {
    if [ -f "$1/data/postmaster.pid" ]; then
        pg "$PG_BIN/pg_ctl" -D "$1/data" -m fast -w -t 60 stop >/dev/null 2>&1 || log "warning: pg_ctl stop failed for $1"
    fi
    rm -rf "$1"
}
tcp_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

owned=0         # 1: this run started (or adopted) the broker and shuts it down on exit
control=1       # value for PIPELINE_TEST_BROKER_CONTROL
epmd_was_running=0
shim_dir=""     # temporary folder with a sudo rabbitmqctl for the tests (non-root runs)
pg_dir=""       # the throwaway PostgreSQL cluster of this run (data, socket, log)
if epmd -names >/dev/null 2>&1; then epmd_was_running=1; fi

# shellcheck disable=SC2317  # invoked from the EXIT trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    if [ -n "$shim_dir" ]; then rm -rf "$shim_dir"; fi
    if [ -n "$pg_dir" ]; then
        log "stopping the PostgreSQL cluster this run started"
        stop_postgres "$pg_dir"
    fi
    if [ "$owned" = 1 ]; then
        log "stopping the RabbitMQ broker this run started"
        if ! timeout 120 "${RMQ[@]}" rabbitmqctl -q shutdown >/dev/null 2>&1; then
            log "warning: rabbitmqctl shutdown failed"
        fi
        rm -f "$STATE_FILE"
        # Stop the epmd daemon the broker spawned, if there was none before
        # (epmd refuses while other nodes are still registered).
        if [ "$epmd_was_running" = 0 ]; then epmd -kill >/dev/null 2>&1; fi
    elif [ "$control" = 1 ] && ping_broker && ! app_running; then
        # A test that stopped the app of a broker we did not start failed half-way:
        # leave the broker as we found it.
        log "restarting the RabbitMQ app a test left stopped"
        rmq rabbitmqctl -q start_app >/dev/null 2>&1
    fi
    exit "$rc"
}

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- broker
if ping_broker; then
    pid="$(node_os_pid)"
    if [ -n "$pid" ] && [ -f "$STATE_FILE" ] && [ "$(cat "$STATE_FILE" 2>/dev/null)" = "$pid" ]; then
        log "adopting the RabbitMQ broker (pid $pid) an earlier test.sh run left behind; it is stopped at the end"
        owned=1
    else
        log "using the RabbitMQ broker already running on this machine (it is left running)"
    fi
    if ! app_running; then
        log "its RabbitMQ app is stopped; starting it"
        rmq rabbitmqctl -q start_app >/dev/null
    fi
    rmq rabbitmqctl -q await_startup -t "$WAIT_SECONDS" >/dev/null
elif epmd_has_node; then
    log "error: a RabbitMQ node named '$NODE_SHORT' is registered with epmd but does not answer (hung, or started with another Erlang cookie)"
    log "stop it (e.g. kill the beam.smp process of user rabbitmq) and run test.sh again"
    exit 1
elif amqp_ok; then
    # e.g. the broker of docker-compose.yml: usable, but rabbitmqctl cannot reach it.
    log "a broker answers on localhost:$AMQP_PORT but rabbitmqctl cannot reach it; using it without broker control"
    control=0
elif port_open; then
    log "error: localhost:$AMQP_PORT is taken by something that does not answer AMQP"
    exit 1
else
    log "starting a RabbitMQ broker (rabbitmq-server -detached)"
    owned=1
    rmq rabbitmq-server -detached
    deadline=$((SECONDS + WAIT_SECONDS))
    until ping_broker; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "error: the broker did not answer rabbitmq-diagnostics ping within ${WAIT_SECONDS}s"
            show_broker_logs
            exit 1
        fi
        sleep 1
    done
    remaining=$((deadline - SECONDS))
    [ "$remaining" -ge 10 ] || remaining=10
    if ! rmq rabbitmqctl -q await_startup -t "$remaining" >/dev/null; then
        log "error: the broker did not finish booting"
        show_broker_logs
        exit 1
    fi
    node_os_pid >"$STATE_FILE" 2>/dev/null || true
fi

if [ "$control" = 1 ] && [ "${#RMQ_SUDO[@]}" -gt 0 ]; then
    # Debian's rabbitmqctl only runs as root or rabbitmq, and the tests call `rabbitmqctl` from PATH:
    # give them one that goes through (passwordless) sudo.
    if sudo -n true 2>/dev/null; then
        shim_dir="$(mktemp -d)"
        printf '#!/bin/sh\nexec sudo -n env %s %s "$@"\n' \
            "${RABBITMQ_NODENAME:+RABBITMQ_NODENAME=$RABBITMQ_NODENAME}" "$(command -v rabbitmqctl)" >"$shim_dir/rabbitmqctl"
        chmod +x "$shim_dir/rabbitmqctl"
        export PATH="$shim_dir:$PATH"
    else
        log "not root and no passwordless sudo: tests will not control the broker (PIPELINE_TEST_BROKER_CONTROL=0)"
        control=0
    fi
fi

if [ "$owned" = 1 ]; then
    # Per-test virtual hosts left behind by an interrupted earlier run.
    rmq rabbitmqctl -q list_vhosts name 2>/dev/null | grep '^pipeline-test-' | while read -r vhost; do
        rmq rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
    done || true
fi

if ! amqp_ok; then
    log "error: no AMQP answer on localhost:$AMQP_PORT"
    show_broker_logs
    exit 1
fi
log "RabbitMQ is up on localhost:$AMQP_PORT"

# ---------------------------------------------------------------- PostgreSQL
# Clusters left by runs that were killed hard (their owner, a test.sh process, is gone).
for stale in "${TMPDIR:-/tmp}"/pipeline-test-sh-postgres.*; do
    [ -d "$stale" ] || continue
    stale_owner="$(cat "$stale/owner" 2>/dev/null || true)"
    # /proc, not kill -0: that fails for a live process of another user too.
    if [ -z "$stale_owner" ] || [ ! -d "/proc/$stale_owner" ]; then
        log "removing the PostgreSQL cluster $stale an earlier run left behind"
        stop_postgres "$stale"
    fi
done

pg_started_at=$SECONDS
pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/pipeline-test-sh-postgres.XXXXXX")"
echo $$ >"$pg_dir/owner"
chmod 755 "$pg_dir"
PG_PASSWORD="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
PG_PORT="${PIPELINE_TEST_POSTGRES_PORT:-55432}"
if [ "${#PG_AS[@]}" -gt 0 ]; then chown postgres: "$pg_dir"; fi
# Local (socket) connections are trusted, for setting up; TCP needs the password, as a fleet's nodes would.
if ! pg "$PG_BIN/initdb" -D "$pg_dir/data" -E UTF8 --locale=C.UTF-8 --no-sync --auth-local=trust --auth-host=scram-sha-256 \
        >"$pg_dir/initdb.log" 2>&1; then
    log "error: initdb failed:"
    cat "$pg_dir/initdb.log" >&2
    exit 1
fi
# Throwaway data: no fsync. max_connections leaves room for the tests' parallel ledger nodes.
# Another run (another engineer's, a CI job beside this one) may hold the port, or take it first:
# then the next one.
pg_tries=0
pg_last_port=$((PG_PORT + 100))
while :; do
    if ! tcp_port_open "$PG_PORT"; then
        if pg "$PG_BIN/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
                -o "-p $PG_PORT -k $pg_dir -c listen_addresses=localhost -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
                start >/dev/null; then
            break
        fi
        pg_tries=$((pg_tries + 1))
    fi
    PG_PORT=$((PG_PORT + 1))
    if [ "$pg_tries" -ge 3 ] || [ "$PG_PORT" -gt "$pg_last_port" ]; then
        log "error: PostgreSQL did not start; last lines of its log:"
        tail -n 25 "$pg_dir/server.log" >&2 || true
        exit 1
    fi
done
pg "$PG_BIN/psql" -q -v ON_ERROR_STOP=1 -h "$pg_dir" -p "$PG_PORT" -d postgres >/dev/null <<SQL
CREATE ROLE pipeline_test LOGIN PASSWORD '$PG_PASSWORD';
CREATE DATABASE pipeline_test OWNER pipeline_test;
SQL
export PIPELINE_TEST_POSTGRES="Host=localhost;Port=$PG_PORT;Username=pipeline_test;Password=$PG_PASSWORD;Database=pipeline_test"
export PIPELINE_TEST_REQUIRE_POSTGRES=1
# The tests' own way in: TCP with the password.
if ! PGPASSWORD="$PG_PASSWORD" "$PG_BIN/psql" -Atq -h localhost -p "$PG_PORT" -U pipeline_test -d pipeline_test -c 'SELECT 1' >/dev/null; then
    log "error: cannot log in to PostgreSQL on localhost:$PG_PORT as pipeline_test"
    exit 1
fi
log "PostgreSQL is up on localhost:$PG_PORT (database pipeline_test, $((SECONDS - pg_started_at)) s)"

export PIPELINE_TEST_RABBITMQ="amqp://guest:guest@localhost:$AMQP_PORT/"
export PIPELINE_TEST_BROKER_CONTROL="$control"

# The real full-disk test mounts a small tmpfs (needs root, or CAP_SYS_ADMIN in a container). Probe once: where a
# mount works the test is required (it fails rather than skips); elsewhere it skips and says why.
tmpfs_probe="$(mktemp -d)"
if mount -t tmpfs -o size=1m tmpfs "$tmpfs_probe" 2>/dev/null; then
    umount "$tmpfs_probe"
    export PIPELINE_TEST_REQUIRE_TMPFS=1
    log "tmpfs mounts work here: the real ENOSPC test runs"
else
    log "cannot mount a tmpfs here (not root?): the real ENOSPC test will skip; the free-space guard test still runs"
fi
rmdir "$tmpfs_probe"

# ---------------------------------------------------------------- tests
if [ "${PIPELINE_TEST_SH_DRY_RUN:-0}" = 1 ]; then
    log "PIPELINE_TEST_SH_DRY_RUN=1: skipping dotnet test"
    exit 0
fi

export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"
solution=Pipeline.sln
if [ ! -e "$solution" ] && [ -e Pipeline.slnx ]; then solution=Pipeline.slnx; fi

log "running dotnet test $solution -c Release${*:+ $*}"
set +e
dotnet test "$solution" -c Release --logger "console;verbosity=normal" "$@"
rc=$?
set -e
log "dotnet test exited with $rc"

# ---------------------------------------------------------------- the main job, as a newcomer meets it
# The README's first command, exactly as written, in a copy of this tree that git would give a fresh clone (tracked
# and untracked-but-not-ignored files: no bin/, obj/ or runs/), with an empty pipeline cache (XDG_CACHE_HOME) and an
# apt configuration whose package lists are an empty folder (APT_CONFIG): the state of a fresh Debian machine. As root
# the job refreshes those lists itself and says so; it pulls its corpora, pretrains the base model and trains.
# Runs under CI always; elsewhere when test.sh is run without arguments, unless PIPELINE_TEST_SKIP_MAIN_JOB=1.
main_job_as_newcomer() {
    local dir
    dir="$(mktemp -d "${TMPDIR:-/tmp}/pipeline-newcomer.XXXXXX")"
    mkdir -p "$dir/clone" "$dir/cache" "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial"
    printf 'Dir::State::Lists "%s/";\nDir::Cache "%s/";\n' "$dir/apt/lists" "$dir/apt/cache" >"$dir/apt/apt.conf"
    chmod -R a+rwX "$dir/apt" && chmod 755 "$dir"   # apt downloads as its _apt user
    git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$dir/clone"
    log "main job as a newcomer: in $dir/clone, XDG_CACHE_HOME and the apt lists empty"
    local started=$SECONDS job_rc
    set +e
    (cd "$dir/clone" && XDG_CACHE_HOME="$dir/cache" APT_CONFIG="$dir/apt/apt.conf" \
        dotnet run --project src/Host -c Release -- finetune)
    job_rc=$?
    set -e
    log "main job: $((SECONDS - started)) s wall, exit $job_rc"
    rm -rf "$dir"
    return "$job_rc"
}
if [ -n "${CI:-}" ] || { [ "$#" -eq 0 ] && [ "${PIPELINE_TEST_SKIP_MAIN_JOB:-0}" != 1 ]; }; then
    if ! main_job_as_newcomer; then
        log "error: the README's main job failed on a newcomer's machine state"
        [ "$rc" -ne 0 ] || rc=1
    fi
else
    log "skipping the main job as a newcomer (arguments given, or PIPELINE_TEST_SKIP_MAIN_JOB=1)"
fi
exit "$rc"
