#!/bin/bash
# A one-node Slurm cluster on localhost in a folder of its own, for the farm test (issue #16):
#   slurm-cluster.sh start DIR   munged, slurmctld and slurmd with their state, logs and sockets in DIR;
#                                prints the SLURM_CONF to export; exit 77 when Slurm cannot start here
#   slurm-cluster.sh stop DIR    stops every daemon start left (by the pids in DIR), nothing else
# Needs root (slurmd runs jobs as their user) and the Debian packages slurmctld, slurmd, slurm-client, munge.
# proctrack/linuxproc and task/none: no cgroups needed, so it runs in a container too.
set -u
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
dir=$(realpath -m "$dir")

skip() { echo "SKIP: $*" >&2; exit 77; }

stop() {
    for name in slurmd slurmctld munged; do
        pidfile="$dir/$name.pid"
        [ -s "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null || continue
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    done
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

if [ "$cmd" = stop ]; then
    stop
    exit 0
fi
[ "$cmd" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

[ "$(id -u)" = 0 ] || skip "the one-node Slurm cluster needs root (slurmd starts jobs as their user)"
for p in munged mungekey slurmctld slurmd sbatch squeue scancel; do
    command -v "$p" >/dev/null || [ -x "/usr/sbin/$p" ] || skip "$p is missing (packaging/setup-debian.sh installs slurm)"
done
export PATH="$PATH:/usr/sbin"
mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
chmod 700 "$dir/munge"
trap 'stop' ERR

mungekey -c -f -k "$dir/munge/munge.key" 2>/dev/null || skip "mungekey cannot make a key"
munged -f --key-file="$dir/munge/munge.key" --socket="$dir/munge/socket" --pid-file="$dir/munged.pid" \
    --log-file="$dir/munged.log" --seed-file="$dir/munge/seed" ||
    skip "munged does not start: $(tail -1 "$dir/munged.log" 2>/dev/null)"

ctld_port=$(free_port)
slurmd_port=$(free_port)
# Four CPUs whatever the machine has (config_overrides), so a 4-task array runs at once even on 2 cores.
cpus=${FARM_CPUS:-4}
cat >"$dir/slurm.conf" <<CONF
ClusterName=avatarfarm
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdParameters=config_overrides
KillWait=5
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=3600
NodeName=farmnode NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=$cpus State=UNKNOWN
PartitionName=farm Nodes=farmnode Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -i -f "$SLURM_CONF" || skip "slurmctld does not start: $(tail -1 "$dir/slurmctld.log" 2>/dev/null)"
slurmd -N farmnode -f "$SLURM_CONF" || skip "slurmd does not start: $(tail -1 "$dir/slurmd.log" 2>/dev/null)"
for _ in $(seq 100); do
    state=$(sinfo -h -N -o '%T' 2>/dev/null | head -1)
    [ "$state" = idle ] && { echo "$SLURM_CONF"; exit 0; }
    sleep 0.2
done
stop
skip "the Slurm node did not come up (state '${state:-none}'): $(tail -1 "$dir/slurmd.log" 2>/dev/null)"
