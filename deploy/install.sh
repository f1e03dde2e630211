#!/usr/bin/env bash
# Installs the platform's agents on one host, one command per host:
#
#   deploy/install.sh --roles runner,allocator --zone zone-2 --zookeeper zk1:2181,zk2:2181,zk3:2181 \
#                     --api http://constructor:12400 --token <enrollment token>
#
# Installs what is missing (curl, python3, docker.io for a runner, clang and zlib1g-dev to link the
# runner's and the allocator's Native AOT executables), publishes self-contained binaries to
# /opt/cloud/<role> (or copies --binaries), enrolls the host with the token (the constructor answers
# with ZooKeeper digest credentials that let this host write only its own nodes), writes
# /etc/cloud/<role>.json and /etc/cloud/<role>.env (the credentials, mode 0600) and the systemd units,
# enables and starts them, and waits until the host is registered in ZooKeeper. Running it again
# changes nothing (and says so); it writes a file only when its content differs. `--uninstall` stops the
# agents and removes exactly the files the installation recorded; instance data under
# /var/lib/cloud/data is never removed.
#
# --root DIR installs under DIR instead of / (tests, image building). Without systemd as PID 1 (or with
# --root) the agents are started the way their units would start them: the unit's ExecStart with its
# EnvironmentFile, Environment and WorkingDirectory, in the background, with a pid file under DIR/run/cloud.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
ENROLL_PATH=/api/v1/platform/configuration/security/enrollments

ROOT=""
ROLES=""
ZONE=""
ZOOKEEPER=""
TOKEN=""
API=""
HOST_ID=""
HOST_ADDRESS=""
BINARIES=""
MEMORY_MB=""
WAIT_SECONDS=120
UNINSTALL=0
SKIP_DEPS=0
EXTRA_ENV=()

usage() {
    cat <<'EOF'
Usage: install.sh --roles runner[,allocator][,proxy] --zookeeper HOST:PORT[,...] --api URL --token TOKEN [options]
       install.sh --uninstall [--root DIR]

  --roles R[,R...]     roles of this host: runner, allocator, proxy
  --zone ZONE          the host's zone (required with allocator)
  --zookeeper LIST     the ZooKeeper ensemble, host:port,host:port,...
  --api URL            the constructor's API, where the token is traded for this host's credentials
  --token TOKEN        an enrollment token (cloudctl token create --roles ...); not needed once enrolled
  --host-id ID         this host's id (default: the hostname, lowercased)
  --host-address IP    the address instances are published on (default: the first of `hostname -I`)
  --memory-mb N        memory the allocator offers (default: detected)
  --binaries DIR       take prebuilt binaries from DIR/<role>/ instead of publishing them
  --env ROLE:NAME=VAL  an extra environment variable for a role (written to /etc/cloud/<role>.env)
  --wait-seconds N     how long to wait for the host to register (default 120)
  --skip-deps          do not check or install packages
  --root DIR           install under DIR instead of / (processes started as the units would)
  --uninstall          stop the agents and remove what the installation wrote
EOF
}

die() { echo "install.sh: $*" >&2; exit 2; }
say() { echo "install.sh: $*"; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --roles) ROLES=${2:?}; shift 2 ;;
        --zone) ZONE=${2:?}; shift 2 ;;
        --zookeeper) ZOOKEEPER=${2:?}; shift 2 ;;
        --token) TOKEN=${2:?}; shift 2 ;;
        --api) API=${2%/}; shift 2 ;;
        --host-id) HOST_ID=${2:?}; shift 2 ;;
        --host-address) HOST_ADDRESS=${2:?}; shift 2 ;;
        --memory-mb) MEMORY_MB=${2:?}; shift 2 ;;
        --binaries) BINARIES=${2:?}; shift 2 ;;
        --env) EXTRA_ENV+=("${2:?}"); shift 2 ;;
        --wait-seconds) WAIT_SECONDS=${2:?}; shift 2 ;;
        --skip-deps) SKIP_DEPS=1; shift ;;
        --root) ROOT=$(realpath -m "${2:?}"); shift 2 ;;
        --uninstall) UNINSTALL=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
done

P=${ROOT%/}
MANIFEST=$P/var/lib/cloud/install/manifest
RUN_DIR=$P/run/cloud
LOG_DIR=$P/var/log/cloud
if [[ -z $ROOT && -d /run/systemd/system ]]; then MODE=systemd; else MODE=direct; fi

CHANGED=()          # what this run wrote or restarted
declare -A ROLE_CHANGED=()

role_title() { echo "${1^}"; }

# ---- starting and stopping, through systemd or the way the unit would --------------------------------

unit_value() { sed -n "s/^$2=//p" "$1" | tail -n 1; }

# Paths in a unit are host paths; under --root they live below it.
rooted() {
    local word=$1
    if [[ -n $P && $word == /* && ( $word == /opt/* || $word == /etc/* || $word == /var/* ) ]]; then echo "$P$word"; else echo "$word"; fi
}

pid_of() { local f=$RUN_DIR/$1.pid; [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"; }

start_direct() {
    local role=$1 unit=$P/etc/systemd/system/cloud-$1.service
    local exec_start workdir env_file
    exec_start=$(unit_value "$unit" ExecStart)
    workdir=$(rooted "$(unit_value "$unit" WorkingDirectory)")
    env_file=$(rooted "$(unit_value "$unit" EnvironmentFile | sed 's/^-//')")
    local -a argv=()
    local word
    for word in $exec_start; do argv+=("$(rooted "$word")"); done
    mkdir -p "$RUN_DIR" "$LOG_DIR"
    (
        cd "$workdir"
        while IFS= read -r assignment; do export "${assignment//\"/}"; done < <(sed -n 's/^Environment=//p' "$unit")
        if [[ -f $env_file ]]; then set -a; . "$env_file"; set +a; fi
        exec setsid "${argv[@]}" </dev/null >>"$LOG_DIR/$role.log" 2>&1
    ) &
    echo $! > "$RUN_DIR/$role.pid"
}

stop_direct() {
    local role=$1 pid
    pid=$(pid_of "$role") || true
    if [[ -n $pid ]]; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 450); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$RUN_DIR/$role.pid"
}

ensure_running() {
    local role=$1
    if [[ $MODE == systemd ]]; then
        if ! systemctl is-enabled --quiet "cloud-$role"; then systemctl enable --quiet "cloud-$role"; CHANGED+=("enabled cloud-$role"); fi
        if [[ -n ${ROLE_CHANGED[$role]:-} ]] && systemctl is-active --quiet "cloud-$role"; then
            systemctl restart "cloud-$role"; CHANGED+=("restarted cloud-$role")
        elif ! systemctl is-active --quiet "cloud-$role"; then
            systemctl start "cloud-$role"; CHANGED+=("started cloud-$role")
        fi
        return
    fi

    if [[ -n $(pid_of "$role") && -z ${ROLE_CHANGED[$role]:-} ]]; then
        return
    fi

    stop_direct "$role"
    start_direct "$role"
    CHANGED+=("started $role (pid $(cat "$RUN_DIR/$role.pid"))")
}

# ---- uninstall --------------------------------------------------------------------------------------

if [[ $UNINSTALL == 1 ]]; then
    [[ -f $MANIFEST ]] || { say "nothing installed under ${P:-/}"; exit 0; }
    for role in runner allocator proxy; do
        grep -qx "$P/etc/systemd/system/cloud-$role.service" "$MANIFEST" || continue
        if [[ $MODE == systemd ]]; then systemctl disable --now --quiet "cloud-$role" || true; else stop_direct "$role"; fi
        say "stopped $role"
    done
    while IFS= read -r file; do rm -f -- "$file"; done < "$MANIFEST"
    # Accounts this installation created (users before their group).
    if [[ -f $P/var/lib/cloud/install/users ]]; then
        sed -n 's/^user://p' "$P/var/lib/cloud/install/users" | while IFS= read -r user; do userdel "$user" 2>/dev/null || true; done
        sed -n 's/^group://p' "$P/var/lib/cloud/install/users" | while IFS= read -r group; do groupdel "$group" 2>/dev/null || true; done
        rm -f "$P/var/lib/cloud/install/users"
    fi
    # Our directories only, deepest first and only when empty: anything an operator put there stays.
    while IFS= read -r file; do
        dir=$(dirname "$file")
        while [[ $dir == "$P"/opt/cloud/* || $dir == "$P"/etc/cloud ]]; do echo "$dir"; dir=$(dirname "$dir"); done
    done < "$MANIFEST" | sort -u | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2- | while IFS= read -r dir; do
        rmdir "$dir" 2>/dev/null || true
    done
    rmdir "$P/opt/cloud" 2>/dev/null || true
    rm -rf "$P/var/lib/cloud/install/publish"
    rm -f "$MANIFEST" "$LOG_DIR"/runner.log "$LOG_DIR"/allocator.log "$LOG_DIR"/proxy.log
    rmdir "$P/var/lib/cloud/install" "$RUN_DIR" "$LOG_DIR" 2>/dev/null || true
    [[ $MODE == systemd ]] && systemctl daemon-reload
    say "uninstalled; instance data under $P/var/lib/cloud/data was left in place"
    exit 0
fi

# ---- arguments --------------------------------------------------------------------------------------

[[ -n $ROLES ]] || { usage >&2; die "--roles is required"; }
[[ -n $ZOOKEEPER ]] || die "--zookeeper is required"
IFS=',' read -r -a ROLE_LIST <<< "$ROLES"
for role in "${ROLE_LIST[@]}"; do
    case "$role" in runner|allocator|proxy) ;; *) die "unknown role '$role' (runner, allocator, proxy; the constructor is installed by hand, see docs/operations.md)" ;; esac
done
[[ " ${ROLE_LIST[*]} " == *" allocator "* && -z $ZONE ]] && die "--zone is required with the allocator role"
[[ $ZOOKEEPER =~ ^[A-Za-z0-9._-]+:[0-9]+(,[A-Za-z0-9._-]+:[0-9]+)*$ ]] || die "--zookeeper must be host:port[,host:port...]"
HOST_ID=${HOST_ID:-$(hostname | tr '[:upper:]' '[:lower:]')}
[[ $HOST_ID =~ ^[a-z0-9][a-z0-9._-]{0,127}$ ]] || die "host id '$HOST_ID' must be 1-128 of a-z, 0-9, '.', '-', '_'"
HOST_ADDRESS=${HOST_ADDRESS:-$(hostname -I 2>/dev/null | awk '{print $1}')}
for extra in "${EXTRA_ENV[@]}"; do [[ $extra =~ ^(runner|allocator|proxy):[A-Za-z_][A-Za-z0-9_]*=.*$ ]] || die "--env '$extra' must be ROLE:NAME=VALUE"; done

# ---- dependencies -----------------------------------------------------------------------------------

if [[ $SKIP_DEPS == 0 ]]; then
    missing=()
    command -v curl >/dev/null || missing+=(curl)
    command -v python3 >/dev/null || missing+=(python3-minimal)
    [[ " ${ROLE_LIST[*]} " == *" runner "* ]] && ! command -v docker >/dev/null && missing+=(docker.io)
    # The runner and the allocator publish as Native AOT executables (at rest in a fraction of the memory a
    # JIT-compiled host needs, issue 14): that links with clang against zlib.
    if [[ -z $BINARIES && ( " ${ROLE_LIST[*]} " == *" runner "* || " ${ROLE_LIST[*]} " == *" allocator "* ) ]]; then
        command -v clang >/dev/null || missing+=(clang)
        dpkg-query -W -f='${Status}' zlib1g-dev 2>/dev/null | grep -q "ok installed" || missing+=(zlib1g-dev)
    fi
    if [[ ${#missing[@]} -gt 0 ]]; then
        [[ $(id -u) == 0 ]] || die "missing ${missing[*]}: run as root to install them"
        say "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
        CHANGED+=("packages ${missing[*]}")
    fi
fi

# ---- files: written only when their content differs ------------------------------------------------

INSTALLED=()

# put_file SOURCE DEST MODE
put_file() {
    local source=$1 dest=$2 mode=$3
    INSTALLED+=("$dest")
    if [[ -f $dest ]] && cmp -s "$source" "$dest" && [[ $(stat -c %a "$dest") == "$mode" ]]; then
        return 1
    fi
    mkdir -p "$(dirname "$dest")"
    install -m "$mode" "$source" "$dest.install-tmp"
    mv -f "$dest.install-tmp" "$dest"
    return 0
}

# put_text DEST MODE ROLE <<< content
put_text() {
    local dest=$1 mode=$2 role=$3 tmp
    tmp=$(mktemp)
    cat > "$tmp"
    if put_file "$tmp" "$dest" "$mode"; then CHANGED+=("$dest"); ROLE_CHANGED[$role]=1; fi
    rm -f "$tmp"
}

binaries_of() {
    local role=$1
    if [[ -n $BINARIES ]]; then
        [[ -d $BINARIES/$role ]] || die "--binaries $BINARIES has no $role/ folder"
        echo "$BINARIES/$role"
        return
    fi

    command -v dotnet >/dev/null || die "no dotnet SDK to publish with: pass --binaries DIR (from 'dotnet publish -r linux-x64 --self-contained')"
    local out=$P/var/lib/cloud/install/publish/$role
    dotnet publish "$REPO_DIR/src/$(role_title "$role")" -c Release -r linux-x64 --self-contained -nologo -v:q -o "$out" >&2
    echo "$out"
}

json_string() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }

# ---- credentials: enroll once, then reuse -----------------------------------------------------------

existing_digest() {
    local role digest="" found
    for role in "${ROLE_LIST[@]}"; do
        found=$(sed -n 's/^ZooKeeper__Digest=//p' "$P/etc/cloud/$role.env" 2>/dev/null | tail -n 1)
        [[ -n $found ]] || return 1
        [[ -z $digest || $digest == "$found" ]] || return 1
        digest=$found
    done
    [[ ${digest%%:*} == "$HOST_ID" ]] || return 1
    echo "$digest"
}

if ! DIGEST=$(existing_digest); then
    [[ -n $TOKEN && -n $API ]] || die "--api and --token are required to enroll host '$HOST_ID'"
    body=$(python3 -c 'import json,sys; print(json.dumps({"token": sys.argv[1], "host_id": sys.argv[2], "roles": sys.argv[3].split(",")}))' "$TOKEN" "$HOST_ID" "$ROLES")
    answer=$(mktemp)
    status=$(curl -sS -o "$answer" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data "$body" "$API$ENROLL_PATH") \
        || { rm -f "$answer"; echo "install.sh: cannot reach the constructor at $API" >&2; exit 3; }
    if [[ $status != 201 ]]; then
        echo "install.sh: enrollment refused ($status): $(cat "$answer")" >&2
        rm -f "$answer"
        exit 3
    fi
    DIGEST=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["zookeeper_digest"])' "$answer")
    rm -f "$answer"
    CHANGED+=("enrolled $HOST_ID as $ROLES")
    say "enrolled host $HOST_ID as $ROLES"
fi

# ---- binaries, configuration, units ----------------------------------------------------------------

DATA_ROOT=$P/var/lib/cloud/data
mkdir -p "$DATA_ROOT"
unit_changed=0
for role in "${ROLE_LIST[@]}"; do
    source_dir=$(binaries_of "$role")
    while IFS= read -r -d '' file; do
        relative=${file#"$source_dir"/}
        if put_file "$file" "$P/opt/cloud/$role/$relative" "$(stat -c %a "$file")"; then
            ROLE_CHANGED[$role]=1
            binaries_changed=1
        fi
    done < <(find -L "$source_dir" -type f -print0 | sort -z)
    if [[ -n ${binaries_changed:-} ]]; then CHANGED+=("$P/opt/cloud/$role/"); fi
    unset binaries_changed

    zk=$(json_string "$ZOOKEEPER")
    case "$role" in
        runner) section="\"Runner\": { \"HostId\": $(json_string "$HOST_ID"), \"DataRoot\": $(json_string "$DATA_ROOT") }" ;;
        allocator)
            memory=${MEMORY_MB:+, \"MemoryCapacityMb\": $MEMORY_MB}
            section="\"Allocator\": { \"AllocatorId\": $(json_string "$HOST_ID"), \"Zone\": $(json_string "$ZONE"), \"HostAddress\": $(json_string "$HOST_ADDRESS"), \"DataRoot\": $(json_string "$DATA_ROOT")$memory }" ;;
        proxy) section="\"Proxy\": { \"ProxyId\": $(json_string "$HOST_ID")${ZONE:+, \"Zone\": $(json_string "$ZONE")} }" ;;
    esac
    put_text "$P/etc/cloud/$role.json" 644 "$role" <<EOF
{
  "ZooKeeper": { "ConnectString": $zk },
  $section
}
EOF
    environment="# Written by deploy/install.sh: this host's ZooKeeper credentials (keep it 0600)."$'\n'"ZooKeeper__Digest=$DIGEST"
    for extra in "${EXTRA_ENV[@]}"; do
        if [[ ${extra%%:*} == "$role" ]]; then environment+=$'\n'"${extra#*:}"; fi
    done
    put_text "$P/etc/cloud/$role.env" 600 "$role" <<< "$environment"
    if put_file "$REPO_DIR/deploy/systemd/cloud-$role.service" "$P/etc/systemd/system/cloud-$role.service" 644; then
        CHANGED+=("$P/etc/systemd/system/cloud-$role.service"); ROLE_CHANGED[$role]=1; unit_changed=1
    fi
done

# The manifest lists every file this installation owns (for --uninstall), however many runs wrote them.
manifest_tmp=$(mktemp)
{ [[ -f $MANIFEST ]] && cat "$MANIFEST"; printf '%s\n' "${INSTALLED[@]}"; } | sort -u > "$manifest_tmp"
if ! cmp -s "$manifest_tmp" "$MANIFEST" 2>/dev/null; then mkdir -p "$(dirname "$MANIFEST")"; mv "$manifest_tmp" "$MANIFEST"; else rm -f "$manifest_tmp"; fi

# ---- the dedicated user a unit runs as (the proxy's), created once and recorded for --uninstall ------

USERS_FILE=$P/var/lib/cloud/install/users
for role in "${ROLE_LIST[@]}"; do
    user=$(unit_value "$P/etc/systemd/system/cloud-$role.service" User)
    group=$(unit_value "$P/etc/systemd/system/cloud-$role.service" Group)
    # Under --root the agents run as the caller; only a real installation needs the account.
    [[ $MODE == systemd && -n $user && $user != root ]] || continue
    if [[ -n $group ]] && ! getent group "$group" >/dev/null; then
        groupadd --system "$group"
        echo "group:$group" >> "$USERS_FILE"
        CHANGED+=("group $group")
    fi
    if ! id -u "$user" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin ${group:+-g "$group"} "$user"
        echo "user:$user" >> "$USERS_FILE"
        CHANGED+=("user $user")
    fi
done

# ---- start, then wait until registered --------------------------------------------------------------

[[ $MODE == systemd && $unit_changed == 1 ]] && systemctl daemon-reload
for role in "${ROLE_LIST[@]}"; do ensure_running "$role"; done

registrations=()
for role in "${ROLE_LIST[@]}"; do
    case "$role" in runner) registrations+=("/cloud/runners/$HOST_ID") ;; allocator) registrations+=("/cloud/allocators/$HOST_ID") ;; proxy) registrations+=("/cloud/proxies/$HOST_ID") ;; esac
done

# A few lines of ZooKeeper's wire protocol (connect, exists, close): the host has no ZooKeeper client.
if ! python3 - "$ZOOKEEPER" "$WAIT_SECONDS" "${registrations[@]}" <<'PY'
import socket, struct, sys, time

servers = [s.rsplit(":", 1) for s in sys.argv[1].split(",")]
deadline = time.monotonic() + float(sys.argv[2])
paths = sys.argv[3:]

def frame(sock):
    head = b""
    while len(head) < 4:
        chunk = sock.recv(4 - len(head))
        if not chunk:
            raise ConnectionError("closed")
        head += chunk
    size = struct.unpack(">i", head)[0]
    body = b""
    while len(body) < size:
        chunk = sock.recv(size - len(body))
        if not chunk:
            raise ConnectionError("closed")
        body += chunk
    return body

def send(sock, payload):
    sock.sendall(struct.pack(">i", len(payload)) + payload)

def missing(paths):
    for host, port in servers:
        try:
            with socket.create_connection((host, int(port)), timeout=5) as sock:
                send(sock, struct.pack(">iqiqi", 0, 0, 10000, 0, 16) + b"\0" * 16 + b"\0")
                frame(sock)
                absent = []
                for xid, path in enumerate(paths, start=1):
                    raw = path.encode()
                    send(sock, struct.pack(">iii", xid, 3, len(raw)) + raw + b"\0")
                    _, _, err = struct.unpack(">iqi", frame(sock)[:16])
                    if err != 0:
                        absent.append(path)
                send(sock, struct.pack(">ii", len(paths) + 1, -11))
                return absent
        except (OSError, ConnectionError, struct.error):
            continue
    return paths

while True:
    absent = missing(paths)
    if not absent:
        sys.exit(0)
    if time.monotonic() > deadline:
        print("install.sh: not registered in ZooKeeper: " + ", ".join(absent), file=sys.stderr)
        sys.exit(1)
    time.sleep(0.5)
PY
then
    echo "install.sh: the agents did not register within ${WAIT_SECONDS}s; see $( [[ $MODE == systemd ]] && echo "journalctl -u cloud-<role>" || echo "$LOG_DIR/<role>.log")" >&2
    exit 4
fi

if [[ ${#CHANGED[@]} -eq 0 ]]; then
    say "nothing changed: $ROLES of host $HOST_ID already installed, running and registered"
else
    printf 'install.sh: changed %s\n' "${CHANGED[@]}"
    say "host $HOST_ID registered as $ROLES"
fi
