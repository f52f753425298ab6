#!/usr/bin/env bash
# Counts the players of a game on this host and prints ONE integer:
# established TCP connections plus active UDP peers on the given local ports.
#
#   count-connections.sh tcp:25565 udp:19132
#   count-connections.sh "tcp:25565 udp:19132"   # one argument, as SSM Run Command passes it
#
# The watchdog runs it as root through SSM Run Command on the game's ECS host
# (Amazon Linux 2023); it also works by hand on any Linux, where it counts in
# the current network namespace.
#
# First it checks that the game is up at all: a count of 0 while the game is
# still booting (image pulled, world loading) would read as "ready, nobody
# plays". At least one requested port must have a listener where the game
# runs: a listening TCP socket, or for UDP any socket bound to the port (UDP
# servers do not "listen"). Otherwise it exits 3 and prints no count.
#
# Where the game and its players are visible, and why it looks there:
# - With Docker bridge networking the host only forwards (DNATs) the packets;
#   the game's sockets and the players' TCP connections live in the game
#   CONTAINER's network namespace. For each requested port a running container
#   publishes, the script enters that container's namespace (nsenter) and
#   looks there, on the container-side port. Ports no container publishes
#   (host networking, no Docker, run by hand) are looked at in the current
#   namespace.
# - UDP players: most UDP game servers answer every player from one
#   unconnected socket, so players never show up as sockets. They do show up
#   as flows in the host's connection tracking (the DNAT of the published port
#   needs it): one distinct source address:port per player.
#
# Environment:
#   GM_CONNTRACK_FILE  connection-tracking file to read instead of
#                      /proc/net/nf_conntrack (tests; hosts with an unusual
#                      layout). When it is not readable, `conntrack -L`
#                      (conntrack-tools) is used.
#
# Exit status:
#   0  the count is on stdout
#   1  a tool it needs is missing or failed, e.g. no connection-tracking table
#      for UDP ports (the reason on stderr). Never a made-up 0: the watchdog
#      must not mistake "could not count" for "nobody plays".
#   2  bad arguments (usage on stderr)
#   3  the game is not listening yet on any requested port (the reason on
#      stderr, nothing on stdout)
#
# Needs bash 4.4+, coreutils, awk, iproute2 (ss); for containers the docker CLI
# and util-linux nsenter that every ECS-optimised AMI has; for UDP ports a
# readable /proc/net/nf_conntrack or conntrack-tools.
set -euo pipefail
# Without these, a failure inside $(...) or a function would not stop the
# script, or would stop it with the failed tool's own status instead of 1.
shopt -s inherit_errexit
set -o errtrace
trap '[[ $BASH_SUBSHELL -gt 0 ]] || echo "count-connections.sh: stopped: \`$BASH_COMMAND\` failed" >&2; exit 1' ERR

readonly PROGRAM=count-connections.sh
readonly EXIT_TOOL_FAILED=1
readonly EXIT_USAGE=2
readonly EXIT_NOT_LISTENING=3

usage() {
  cat <<EOF
usage: $PROGRAM <protocol>:<port> [<protocol>:<port> ...]
  protocol is tcp or udp, port 1-65535, e.g.  $PROGRAM tcp:25565 udp:19132
  The list may also be given as one space-separated argument.
Prints one integer: established TCP connections plus active UDP peers on those
local ports. Exits 3, printing nothing, while the game listens on none of them.
EOF
}

fail_usage() {
  echo "$PROGRAM: $1" >&2
  usage >&2
  exit "$EXIT_USAGE"
}

note() {
  echo "$PROGRAM: $1" >&2
}

fail_tool() {
  note "$1"
  exit "$EXIT_TOOL_FAILED"
}

# --- arguments --------------------------------------------------------------

# SSM passes the document's `ports` parameter as one string, so split every
# argument on whitespace (and commas, a common slip) instead of trusting "$@".
tokens=()
IFS=$' \t\n,' read -r -d '' -a tokens <<<"$*" || true # read -d '' returns 1 at end of input

if [[ ${#tokens[@]} -eq 0 ]]; then
  fail_usage "no ports given"
fi

declare -A tcp_wanted=() udp_wanted=()
for token in "${tokens[@]}"; do
  case $token in
    -h | --help)
      usage
      exit 0
      ;;
  esac
  lowered=${token,,}
  if [[ ! $lowered =~ ^(tcp|udp):([0-9]{1,5})$ ]]; then
    fail_usage "bad argument '$token': expected tcp:<port> or udp:<port>"
  fi
  port=$((10#${BASH_REMATCH[2]})) # 10#: a leading zero must not mean octal
  if ((port < 1 || port > 65535)); then
    fail_usage "bad port in '$token': ports are 1-65535"
  fi
  if [[ ${BASH_REMATCH[1]} == tcp ]]; then
    tcp_wanted[$port]=1
  else
    udp_wanted[$port]=1
  fi
done

if ! command -v ss >/dev/null 2>&1; then
  fail_tool "ss not found: install iproute2 (dnf install iproute / apt-get install iproute2)"
fi

# --- where each requested port is served ------------------------------------

# Prints "<protocol> <container id> <host port> <container port>" for every
# requested port that a running container publishes. Prints nothing without
# Docker.
published_ports() {
  command -v docker >/dev/null 2>&1 || return 0
  local listing
  if ! listing=$(docker ps --format '{{.ID}}'$'\t''{{.Ports}}' 2>/dev/null); then
    # Docker CLI without a daemon (a workstation, or Docker is down and so is
    # the game): the current namespace is the only place the game can be.
    note "docker is installed but not answering; looking in this network namespace only"
    return 0
  fi
  # .Ports looks like "0.0.0.0:25565->25565/tcp, :::25565->25565/tcp,
  # 0.0.0.0:8000-8001->9000-9001/tcp, 0.0.0.0:19132->19132/udp, 7777/udp";
  # entries without "->" are exposed but not published. IPv4 and IPv6
  # bindings repeat a mapping, hence the de-duplication.
  awk -F'\t' -v tcp="${!tcp_wanted[*]}" -v udp="${!udp_wanted[*]}" '
    BEGIN {
      n = split(tcp, list, " "); for (i = 1; i <= n; i++) want["tcp", list[i]] = 1
      n = split(udp, list, " "); for (i = 1; i <= n; i++) want["udp", list[i]] = 1
    }
    {
      id = $1
      m = split($2, entries, ", ")
      for (e = 1; e <= m; e++) {
        entry = entries[e]
        arrow = index(entry, "->")
        if (arrow == 0) continue
        left = substr(entry, 1, arrow - 1)
        right = substr(entry, arrow + 2)
        slash = index(right, "/")
        if (slash == 0) continue
        protocol = substr(right, slash + 1)
        container = substr(right, 1, slash - 1)
        sub(/.*:/, "", left) # host port (range) after the last colon of the address
        hostFirst = left; hostLast = left
        if (index(left, "-")) { split(left, h, "-"); hostFirst = h[1]; hostLast = h[2] }
        containerFirst = container
        if (index(container, "-")) { split(container, c, "-"); containerFirst = c[1] }
        for (p = hostFirst + 0; p <= hostLast + 0; p++) {
          if (!((protocol, p) in want)) continue
          key = protocol " " id " " p " " (containerFirst + (p - hostFirst))
          if (!(key in seen)) { seen[key] = 1; print key }
        }
      }
    }' <<<"$listing"
}

# Keys are "<protocol>:<host port>".
declare -A served_by=()     # the container that publishes the port
declare -A inner_port=()    # the port inside that container
declare -A container_pid=() # container id -> a PID in its network namespace; 0 when it stopped

# Captured first so a failure fails the script (a process substitution would hide it).
mapping=$(published_ports)
while read -r protocol id host_port container_port; do
  [[ -n $protocol ]] || continue
  served_by[$protocol:$host_port]=$id
  inner_port[$protocol:$host_port]=$container_port
  container_pid[$id]=0
done <<<"$mapping"

for id in "${!container_pid[@]}"; do
  if ! pid=$(docker inspect -f '{{.State.Pid}}' "$id"); then
    fail_tool "cannot inspect container $id (docker inspect failed)"
  fi
  container_pid[$id]=$pid
done

# Sets `where` to the PID whose network namespace serves <protocol>:<port>
# ("-" for the current namespace, "0" for a container that stopped since
# `docker ps`) and `where_port` to the port there.
locate() {
  local key=$1
  local id=${served_by[$key]:-}
  if [[ -z $id ]]; then
    where=-
    where_port=${key#*:}
  else
    where=${container_pid[$id]}
    where_port=${inner_port[$key]}
  fi
}

# Runs ss in the network namespace of PID $1 ("-" for the current one).
ss_in() {
  local pid=$1
  shift
  if [[ $pid == - ]]; then
    ss "$@"
  else
    nsenter -t "$pid" -n ss "$@"
  fi
}

# Succeeds when something listens on <protocol> <port> in the namespace of
# <pid>: a listening TCP socket, or any UDP socket bound to the port.
has_listener() {
  local pid=$1 protocol=$2 port=$3 flags listing
  if [[ $protocol == tcp ]]; then flags=-Hltn; else flags=-Huan; fi
  # Called as a condition, where `set -e` does not apply: check ss explicitly,
  # or a failing ss would read as "not listening".
  if ! listing=$(ss_in "$pid" "$flags" "( sport = :$port )"); then
    fail_tool "ss failed while looking for a listener on $protocol:$port"
  fi
  [[ -n $listing ]]
}

# --- is the game listening? -------------------------------------------------

requested=()
for port in "${!tcp_wanted[@]}"; do requested+=("tcp:$port"); done
for port in "${!udp_wanted[@]}"; do requested+=("udp:$port"); done

listening=0
silent=()
for key in "${requested[@]}"; do
  locate "$key"
  container=${served_by[$key]:-}
  if [[ $where == 0 ]]; then
    silent+=("$key (container $container has stopped)")
  elif has_listener "$where" "${key%%:*}" "$where_port"; then
    listening=$((listening + 1))
  elif [[ -n $container ]]; then
    silent+=("$key (port $where_port in container $container)")
  else
    silent+=("$key (no container publishes it)")
  fi
done

if ((listening == 0)); then
  reasons=$(printf '%s, ' "${silent[@]}")
  note "the game is not listening yet: nothing listens on ${reasons%, }"
  exit "$EXIT_NOT_LISTENING"
fi

# --- TCP --------------------------------------------------------------------

# Prints the number of established TCP sockets whose local port is one of the
# ports given after the first argument, in the namespace of PID $1 ("-" for
# the current one).
count_established() {
  local pid=$1
  shift
  local filter="" p
  for p in "$@"; do
    filter+="${filter:+ or }sport = :$p"
  done
  local listing
  # Captured first so a failing ss fails the script (a pipe into wc would hide it).
  listing=$(ss_in "$pid" -Htn state established "( $filter )")
  if [[ -z $listing ]]; then
    echo 0
  else
    wc -l <<<"$listing" | tr -d ' '
  fi
}

count_tcp() {
  local -A ports_in=() # namespace PID ("-": current) -> its ports to count
  local port pid total=0 count
  for port in "${!tcp_wanted[@]}"; do
    locate "tcp:$port"
    # A container that stopped since `docker ps` has nobody connected.
    [[ $where != 0 ]] || continue
    ports_in[$where]+=" $where_port"
  done
  for pid in "${!ports_in[@]}"; do
    # shellcheck disable=SC2086 # the port list is meant to split into words
    count=$(count_established "$pid" ${ports_in[$pid]})
    total=$((total + count))
  done
  echo "$total"
}

# --- UDP --------------------------------------------------------------------

# Sets `conntrack_lines` to the connection-tracking table (any protocol).
# Exits 1 when none is readable: without it UDP players are invisible, and
# printing 0 would stop a game people are playing.
load_conntrack_table() {
  local file=${GM_CONNTRACK_FILE:-/proc/net/nf_conntrack}
  if [[ -r $file ]]; then
    conntrack_lines=$(cat -- "$file")
  elif command -v conntrack >/dev/null 2>&1; then
    # Its "N flow entries have been shown" summary goes to stderr, which the
    # watchdog reads only when the script fails.
    if ! conntrack_lines=$(conntrack -L -p udp); then
      fail_tool "conntrack -L failed: run as root, with connection tracking (nf_conntrack) loaded"
    fi
  else
    fail_tool "cannot count UDP players: no connection-tracking table ($file is not readable and the conntrack tool is missing); install conntrack-tools (dnf install conntrack-tools) and run as root"
  fi
}

# Prints the number of distinct answered UDP peers on the requested ports in `conntrack_lines`.
count_udp() {
  # Lines look like (the /proc file adds "ipv4 2" in front):
  #   udp 17 119 src=PLAYER dst=HOST sport=P1 dport=19132 src=CONTAINER dst=PLAYER sport=19132 dport=P1 [ASSURED] mark=0 use=1
  # The first src/sport/dport are the original direction (player -> game,
  # before the DNAT, so dport is the host port); the second set is the reply
  # of the same flow, so reading only the first counts each flow once.
  # [UNREPLIED] flows are skipped: the game never answered them (scanners,
  # stray packets), so they are not players.
  awk -v wanted="${!udp_wanted[*]}" '
    BEGIN { n = split(wanted, list, " "); for (i = 1; i <= n; i++) want[list[i]] = 1 }
    !($1 == "udp" || $3 == "udp") { next }
    /\[UNREPLIED\]/ { next }
    {
      src = ""; sport = ""; dport = ""
      for (i = 1; i <= NF; i++) {
        if (src == "" && $i ~ /^src=/) src = substr($i, 5)
        else if (sport == "" && $i ~ /^sport=/) sport = substr($i, 7)
        else if (dport == "" && $i ~ /^dport=/) { dport = substr($i, 7); break }
      }
      if (dport in want) peers[src " " sport] = 1
    }
    END { count = 0; for (peer in peers) count++; print count }' <<<"$conntrack_lines"
}

# --- main -------------------------------------------------------------------

tcp_count=0
udp_count=0
if ((${#tcp_wanted[@]} > 0)); then tcp_count=$(count_tcp); fi
if ((${#udp_wanted[@]} > 0)); then
  # Loaded here, not inside $(...), so that a missing table ends the script
  # with its own message.
  load_conntrack_table
  udp_count=$(count_udp)
fi
echo $((tcp_count + udp_count))
