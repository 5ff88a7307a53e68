#!/usr/bin/env python3
"""Replicated throughput and failover time of a three-node cluster, beside one node.

Starts a real etcd and three release daemons on loopback (`--coordinator etcd://...`), then runs
`goethectl bench` against the leader: batched appends (4 clients, batches of 100) and unary
produce (8 clients), under --sync never and always. The same runs go against a single node
(`--coordinator static`) in the same sitting, and the table gives the ratio. A second table gives
where the CPU went: the microseconds of CPU per event of the bench client and of each node, from
/proc/PID/stat and the client's resource usage.

Failover: while a producer appends through the leader, the leader is killed (SIGKILL); the time
from the kill to the first append acknowledged by the new leader is measured, --failovers times.

Usage: scripts/cluster-benchmark.py --bin-dir DIR [--failovers N]
(make bench-cluster runs it on a release build).
"""

import argparse
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

STARTUP_TIMEOUT = 30
LEASE_TTL = "2s"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Etcd:
    def __init__(self, directory):
        self.port, peer = free_port(), free_port()
        client = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            ["etcd", "--name", "bench", "--data-dir", str(directory / "etcd"),
             "--listen-client-urls", client, "--advertise-client-urls", client,
             "--listen-peer-urls", f"http://127.0.0.1:{peer}",
             "--initial-advertise-peer-urls", f"http://127.0.0.1:{peer}",
             "--initial-cluster", f"bench=http://127.0.0.1:{peer}",
             "--heartbeat-interval", "20", "--election-timeout", "200",
             "--logger", "zap", "--log-outputs", str(directory / "etcd.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{client}/health", timeout=1) as answer:
                    if b"true" in answer.read():
                        return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("etcd did not start")

    def stop(self):
        self.process.kill()
        self.process.wait()


class Node:
    """A goethe daemon on a fixed free port, so that it keeps its address."""

    def __init__(self, goethe, directory, name, sync, coordinator):
        self.name = name
        self.address = f"127.0.0.1:{free_port()}"
        arguments = [str(goethe), "--listen", self.address, "--data-dir", str(directory / name), "--sync", sync,
                     "--coordinator", coordinator, "--node-id", name, "--advertise", self.address,
                     "--lease-ttl", LEASE_TTL, "--replica-timeout", "1s", "--log-level", "warning"]
        self.process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def goethectl(bin_dir, *arguments, timeout=600):
    return subprocess.run([str(bin_dir / "goethectl"), *arguments], capture_output=True, text=True, timeout=timeout)


def wait_for_leader(bin_dir, nodes, exclude=None):
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        for node in nodes:
            if node is exclude:
                continue
            answer = goethectl(bin_dir, "-s", node.address, "cluster", "status", "-o", "json", timeout=5)
            if answer.returncode == 0:
                status = json.loads(answer.stdout)
                leader = status.get("leader")
                healthy = [n for n in status["nodes"] if n.get("healthy")]
                if leader and leader != (exclude.name if exclude else None) and len(healthy) >= len(nodes) - (1 if exclude else 0):
                    return next(n for n in nodes if n.name == leader)
        time.sleep(0.1)
    raise SystemExit("no leader")


def bench(bin_dir, address, mode, clients, events, batch=None):
    arguments = ["-s", address, "bench", mode, "-c", str(clients), "-n", str(events), "-o", "json"]
    if batch:
        arguments += ["--batch", str(batch)]
    answer = goethectl(bin_dir, *arguments)
    if answer.returncode != 0:
        raise SystemExit(f"goethectl bench failed: {answer.stderr}")
    return json.loads(answer.stdout)


WORKLOADS = [("append, 4 clients, batches of 100", "append", 4, 400_000, 100),
             ("produce, 8 clients", "produce", 8, 40_000, None)]


def cpu_seconds(pid):
    """The CPU time a process used so far, all its threads together."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(bin_dir, address, nodes):
    """Each workload's rate, and the µs of CPU per event of the client and of each of `nodes`."""
    results = {}
    for name, mode, clients, events, batch in WORKLOADS:
        before = [cpu_seconds(node.process.pid) for node in nodes]
        client_before = children_cpu_seconds()
        rate = bench(bin_dir, address, mode, clients, events, batch)["events_per_sec"]
        client = children_cpu_seconds() - client_before
        used = [cpu_seconds(node.process.pid) - start for node, start in zip(nodes, before)]
        results[name] = (rate, [1e6 * seconds / events for seconds in [client] + used])
    return results


def failover(bin_dir, nodes, leader):
    """Seconds from killing the leader to the first append a new leader acknowledges."""
    leader.kill()
    killed = time.monotonic()
    others = [node for node in nodes if node is not leader]
    while time.monotonic() - killed < 60:
        for node in others:
            answer = subprocess.run([str(bin_dir / "goethectl"), "-s", node.address, "produce", "failover", "-q"],
                                    input="x\n", capture_output=True, text=True, timeout=10)
            if answer.returncode == 0:
                return time.monotonic() - killed
    raise SystemExit("no new leader took a write within 60 s")


def main():
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--bin-dir", type=Path, required=True, help="where goethe and goethectl are")
    arguments.add_argument("--failovers", type=int, default=5, help="leader kills to time (default 5)")
    options = arguments.parse_args()
    goethe = options.bin_dir / "goethe"
    rows = []
    costs = []
    for sync in ("never", "always"):
        with tempfile.TemporaryDirectory(prefix="goethe-cluster-bench-") as scratch:
            directory = Path(scratch)
            single = Node(goethe, directory, "single", sync, "static")
            try:
                wait_for_leader(options.bin_dir, [single])
                one = measure(options.bin_dir, single.address, [single])
            finally:
                single.kill()
            etcd = Etcd(directory)
            nodes = [Node(goethe, directory, f"n{i}", sync, f"etcd://127.0.0.1:{etcd.port}") for i in (1, 2, 3)]
            try:
                leader = wait_for_leader(options.bin_dir, nodes)
                three = measure(options.bin_dir, leader.address, [leader] + [n for n in nodes if n is not leader])
            finally:
                for node in nodes:
                    node.kill()
                etcd.stop()
            for name, *_ in WORKLOADS:
                rows.append((f"{name}, --sync {sync}", one[name][0], three[name][0]))
                costs.append((f"{name}, --sync {sync}", one[name][1], three[name][1]))
    print(f"{'workload':<48} {'1 node':>12} {'3 nodes':>12} {'ratio':>6}")
    for name, one, three in rows:
        print(f"{name:<48} {one:>12,.0f} {three:>12,.0f} {three / one:>6.2f}")
    print()
    print(f"{'CPU per event, µs':<48} {'1 node: client, node':>22}   3 nodes: client, leader, followers")
    for name, one, three in costs:
        print(f"{name:<48} {', '.join(f'{c:.1f}' for c in one):>22}   {', '.join(f'{c:.1f}' for c in three)}")

    if options.failovers <= 0:
        return
    times = []
    with tempfile.TemporaryDirectory(prefix="goethe-failover-") as scratch:
        directory = Path(scratch)
        etcd = Etcd(directory)
        nodes = [Node(goethe, directory, f"n{i}", "always", f"etcd://127.0.0.1:{etcd.port}") for i in (1, 2, 3)]
        try:
            for _ in range(options.failovers):
                leader = wait_for_leader(options.bin_dir, nodes)
                goethectl(options.bin_dir, "-s", leader.address, "produce", "failover", "-q")
                times.append(failover(options.bin_dir, nodes, leader))
                index = nodes.index(leader)
                nodes[index] = Node(goethe, directory, leader.name, "always", f"etcd://127.0.0.1:{etcd.port}")
        finally:
            for node in nodes:
                node.kill()
            etcd.stop()
    times.sort()
    print(f"failover (--lease-ttl {LEASE_TTL}), kill -9 of the leader to the first acknowledged append: "
          f"median {times[len(times) // 2]:.2f} s, worst {times[-1]:.2f} s over {len(times)}")


if __name__ == "__main__":
    main()
