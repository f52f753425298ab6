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
# Where players are visible, and why it looks there:
# - TCP: with Docker bridge networking the host only forwards (DNATs) the
#   packets; the player's socket lives in the game CONTAINER's network
#   namespace. For each TCP port a running container publishes, the script
#   enters that container's namespace (nsenter) and counts there, on the
#   container-side port. Ports no container publishes (host networking, no
#   Docker, run by hand) are counted in the current namespace.
# - UDP: most UDP game servers answer every player from one unconnected socket,
#   so players never show up as sockets. They do show up as flows in the host's
#   connection tracking (the DNAT of the published port needs it): one distinct
#   source address:port per player.
#
# Environment:
#   GM_CONNTRACK_FILE  read UDP flows from this file only (tests; hosts with an
#                      unusual layout). Default: /proc/net/nf_conntrack, else
#                      `conntrack -L` when conntrack-tools is installed.
#
# Exit status: 0 with the count on stdout; 2 for bad arguments (usage on
# stderr); 1 when a tool it needs fails (never a made-up 0: the watchdog must
# not mistake "could not count" for "nobody plays").
#
# Needs only bash, coreutils, awk, grep, iproute2 (ss) and, for containers,
# the docker CLI and util-linux nsenter that every ECS-optimised AMI has.
set -euo pipefail
# Without this, a failure inside $(...) would not stop the script.
shopt -s inherit_errexit

readonly PROGRAM=count-connections.sh

usage() {
  cat <<EOF
usage: $PROGRAM <protocol>:<port> [<protocol>:<port> ...]
  protocol is tcp or udp, port 1-65535, e.g.  $PROGRAM tcp:25565 udp:19132
  The list may also be given as one space-separated argument.
Prints one integer: established TCP connections plus active UDP peers on those
local ports.
EOF
}

fail_usage() {
  echo "$PROGRAM: $1" >&2
  usage >&2
  exit 2
}

note() {
  echo "$PROGRAM: $1" >&2
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

# --- TCP --------------------------------------------------------------------

# Prints the number of established TCP sockets whose local port is one of the
# ports given after the first argument. The first argument is the PID whose
# network namespace to count in, or "" for the current one.
count_established() {
  local pid=$1
  shift
  local filter="" p
  for p in "$@"; do
    filter+="${filter:+ or }sport = :$p"
  done
  local -a run=()
  [[ -z $pid ]] || run=(nsenter -t "$pid" -n)
  local listing
  # Captured first so a failing ss fails the script (a pipe into wc would hide it).
  listing=$("${run[@]}" ss -Htn state established "( $filter )")
  if [[ -z $listing ]]; then
    echo 0
  else
    wc -l <<<"$listing" | tr -d ' '
  fi
}

# Prints "<container id> <host port> <container port>" for every requested TCP
# port that a running container publishes. Prints nothing without Docker.
published_tcp_ports() {
  command -v docker >/dev/null 2>&1 || return 0
  local listing
  if ! listing=$(docker ps --format '{{.ID}}'$'\t''{{.Ports}}' 2>/dev/null); then
    # Docker CLI without a daemon (a workstation, or Docker is down and so is
    # the game): the current namespace is the only place players can be.
    note "docker is installed but not answering; counting TCP in this network namespace only"
    return 0
  fi
  # .Ports looks like "0.0.0.0:25565->25565/tcp, :::25565->25565/tcp,
  # 0.0.0.0:8000-8001->9000-9001/tcp, 19132/udp"; entries without "->" are
  # exposed but not published. IPv4 and IPv6 bindings repeat a mapping, hence
  # the de-duplication.
  awk -F'\t' -v wanted="${!tcp_wanted[*]}" '
    BEGIN { n = split(wanted, list, " "); for (i = 1; i <= n; i++) want[list[i]] = 1 }
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
        if (slash == 0 || substr(right, slash + 1) != "tcp") continue
        container = substr(right, 1, slash - 1)
        sub(/.*:/, "", left) # host port (range) after the last colon of the address
        hostFirst = left; hostLast = left
        if (index(left, "-")) { split(left, h, "-"); hostFirst = h[1]; hostLast = h[2] }
        containerFirst = container
        if (index(container, "-")) { split(container, c, "-"); containerFirst = c[1] }
        for (p in want) {
          if (p + 0 >= hostFirst + 0 && p + 0 <= hostLast + 0) {
            key = id " " p " " (containerFirst + (p - hostFirst))
            if (!(key in seen)) { seen[key] = 1; print key }
          }
        }
      }
    }' <<<"$listing"
}

count_tcp() {
  ((${#tcp_wanted[@]} > 0)) || { echo 0; return; }
  local total=0 id host_port container_port pid count
  declare -A container_ports=() # container id -> its container-side ports
  declare -A counted_in_container=()

  while read -r id host_port container_port; do
    [[ -n $id ]] || continue
    container_ports[$id]+=" $container_port"
    counted_in_container[$host_port]=1
  done < <(published_tcp_ports)

  for id in "${!container_ports[@]}"; do
    if ! pid=$(docker inspect -f '{{.State.Pid}}' "$id"); then
      note "cannot inspect container $id"
      return 1
    fi
    # Pid 0: the container stopped since `docker ps`; nobody can be connected.
    [[ $pid != 0 ]] || continue
    # shellcheck disable=SC2086 # the port list is meant to split into words
    count=$(count_established "$pid" ${container_ports[$id]})
    total=$((total + count))
  done

  local -a local_ports=()
  local port
  for port in "${!tcp_wanted[@]}"; do
    [[ -n ${counted_in_container[$port]:-} ]] || local_ports+=("$port")
  done
  if ((${#local_ports[@]} > 0)); then
    count=$(count_established "" "${local_ports[@]}")
    total=$((total + count))
  fi
  echo "$total"
}

# --- UDP --------------------------------------------------------------------

# Prints the connection-tracking table (any protocol) on stdout, or nothing
# with a note when none is readable.
conntrack_table() {
  if [[ -n ${GM_CONNTRACK_FILE:-} ]]; then
    if [[ -r $GM_CONNTRACK_FILE ]]; then
      cat -- "$GM_CONNTRACK_FILE"
    else
      note "GM_CONNTRACK_FILE $GM_CONNTRACK_FILE is not readable; counting 0 UDP peers"
    fi
  elif [[ -r /proc/net/nf_conntrack ]]; then
    cat /proc/net/nf_conntrack
  elif command -v conntrack >/dev/null 2>&1; then
    # conntrack prints its "N flow entries" summary on stderr.
    conntrack -L -p udp 2>/dev/null
  else
    # No table: connection tracking is not loaded (nothing is forwarded, so no
    # Docker-published UDP port), or this is not root.
    note "no connection tracking table readable (run as root; or install conntrack-tools); counting 0 UDP peers"
  fi
}

count_udp() {
  ((${#udp_wanted[@]} > 0)) || { echo 0; return; }
  # Lines look like (the /proc file adds "ipv4 2" in front):
  #   udp 17 119 src=PLAYER dst=HOST sport=P1 dport=19132 src=CONTAINER dst=PLAYER sport=19132 dport=P1 [ASSURED] mark=0 use=1
  # The first src/sport/dport are the original direction (player -> game);
  # the second set is the reply of the same flow, so reading only the first
  # counts each flow once. [UNREPLIED] flows are skipped: the game never
  # answered them (scanners, stray packets), so they are not players.
  conntrack_table | awk -v wanted="${!udp_wanted[*]}" '
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
    END { count = 0; for (peer in peers) count++; print count }'
}

# --- main -------------------------------------------------------------------

if ((${#tcp_wanted[@]} > 0)) && ! command -v ss >/dev/null 2>&1; then
  note "ss not found: install iproute2 (dnf install iproute / apt-get install iproute2)"
  exit 1
fi

tcp_count=$(count_tcp)
udp_count=$(count_udp)
echo $((tcp_count + udp_count))
