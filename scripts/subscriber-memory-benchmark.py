#!/usr/bin/env python3
"""The daemon's memory while subscribers have stopped reading.

Starts the real daemon, produces events with goethectl, and reads the daemon's resident memory
(VmRSS, and VmHWM for the peak) from /proc:

1. without subscribers, producing --megabytes of events: what the daemon needs on its own;
2. with --subscribers `goethectl replay --from beginning --follow` processes whose output nobody
   reads (each has shown it receives, then its pipe fills and it stalls), producing as much again.

A stalled subscriber should cost the daemon at most the batch it is sending (up to 1 MiB) and the
frames the stream's flow control lets it queue, whatever the producers write meanwhile; the
difference between the peaks, per subscriber, shows it.

Usage: scripts/subscriber-memory-benchmark.py [--bin-dir DIR] [--subscribers N] [--megabytes M]
(make bench-memory runs it on a release build).
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

EVENT_SIZE = 1000
STARTUP_TIMEOUT = 30


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin-dir", type=Path, required=True, help="where goethe and goethectl are")
    parser.add_argument("--subscribers", type=int, default=50, help="stalled subscribers (default 50)")
    parser.add_argument("--megabytes", type=int, default=200, help="MB produced in each phase (default 200)")
    return parser.parse_args()


class Daemon:
    """The goethe daemon on a free loopback port, with a scratch data directory."""

    def __init__(self, goethe, data_dir):
        self.process = subprocess.Popen(
            [str(goethe), "--listen", "127.0.0.1:0", "--data-dir", str(data_dir), "--sync", "never"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.address = self._await_listening()
        # Keep draining stderr so the daemon never blocks on it.
        threading.Thread(target=self.process.stderr.read, daemon=True).start()

    def _await_listening(self):
        timer = threading.Timer(STARTUP_TIMEOUT, self.process.kill)
        timer.start()
        try:
            for line in self.process.stderr:
                match = re.search(r"listen=(127\.0\.0\.1:\d+)", line)
                if match and "goethe listening" in line:
                    return match.group(1)
        finally:
            timer.cancel()
        sys.exit(f"goethe exited with {self.process.wait()} before it listened")

    def memory(self):
        """(current, peak) resident memory in MiB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()

        def mebibytes(field):
            return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.M).group(1)) / 1024

        return mebibytes("VmRSS"), mebibytes("VmHWM")

    def reset_peak(self):
        Path(f"/proc/{self.process.pid}/clear_refs").write_text("5")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


def goethectl(bin_dir, daemon, *args, **options):
    return subprocess.run(
        [str(bin_dir / "goethectl"), *args, "--server", daemon.address], check=True, **options)


def produce(bin_dir, daemon, topic, megabytes, phase):
    """Streams `megabytes` of events, one per line, into `goethectl produce`; returns how many."""
    count = megabytes * 1_000_000 // EVENT_SIZE
    producer = subprocess.Popen(
        [str(bin_dir / "goethectl"), "produce", topic, "--server", daemon.address],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    for first in range(0, count, 1000):
        producer.stdin.write(b"".join(
            f"{phase} {index:09d} ".encode().ljust(EVENT_SIZE - 1, b"x") + b"\n"
            for index in range(first, min(first + 1000, count))))
    producer.stdin.close()
    if producer.wait() != 0:
        sys.exit(f"goethectl produce exited with {producer.returncode}")
    return count


def start_stalled_subscriber(bin_dir, daemon, topic):
    """A follower from the beginning that has shown it receives, and whose output nobody reads."""
    process = subprocess.Popen(
        [str(bin_dir / "goethectl"), "replay", topic, "--from", "beginning", "--follow", "--output", "raw",
         "--server", daemon.address],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if not process.stdout.readline():
        sys.exit("a subscriber ended before it received an event")
    return process


def main():
    arguments = parse_arguments()
    bin_dir = arguments.bin_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="goethe-memory-") as scratch:
        daemon = Daemon(bin_dir / "goethe", Path(scratch) / "data")
        subscribers = []
        try:
            goethectl(bin_dir, daemon, "topic", "create", "memory", stdout=subprocess.DEVNULL)
            idle, _ = daemon.memory()
            produced = produce(bin_dir, daemon, "memory", arguments.megabytes, "alone")
            alone, alone_peak = daemon.memory()

            daemon.reset_peak()
            subscribers = [start_stalled_subscriber(bin_dir, daemon, "memory") for _ in range(arguments.subscribers)]
            subscribed, _ = daemon.memory()
            produced += produce(bin_dir, daemon, "stalled", arguments.megabytes, "stalled")
            stalled, stalled_peak = daemon.memory()
            alive = sum(subscriber.poll() is None for subscriber in subscribers)
        finally:
            for subscriber in subscribers:
                subscriber.kill()
                subscriber.wait()
            status = daemon.stop()

    extra = stalled_peak - alone
    print(f"goethe daemon memory, {EVENT_SIZE}-byte events, {arguments.megabytes} MB produced per phase")
    print(f"{'idle, one topic':52}{idle:8.1f} MiB")
    print(f"{'after producing, no subscribers':52}{alone:8.1f} MiB  (peak {alone_peak:.1f} MiB)")
    print(f"{f'{arguments.subscribers} subscribers started':52}{subscribed:8.1f} MiB")
    print(f"{f'after producing, {alive} stalled subscribers':52}{stalled:8.1f} MiB  (peak {stalled_peak:.1f} MiB)")
    print(f"{'peak with stalled subscribers - without':52}{extra:8.1f} MiB  "
          f"({extra / arguments.subscribers:.2f} MiB per subscriber)")
    print(f"{produced} events stored; goethe exited with {status}")
    if alive != arguments.subscribers or status != 0:
        sys.exit("a subscriber ended or the daemon did not stop cleanly")


if __name__ == "__main__":
    main()
