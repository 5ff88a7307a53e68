"""Fixtures for the tests of the fake kube-apiserver (fake_apiserver.py beside this file).

- `Etcd`: a real etcd 3.4 (/usr/bin/etcd, Debian's etcd-server) on free loopback ports with a data
  directory of its own, ready once its /health says so; `call()` reaches its v3 JSON gateway
  directly, for what the tests check behind the fake's back (mod revisions, compaction, watchers).
- `FakeApiServer`: the fake on port 0 in front of an etcd, ready once it prints its
  `listening on HOST:PORT` line.
- `api_client()`: an ApiClient of the official `kubernetes` Python client for the fake, and
  `close_client()`, which closes its connections too (22.x's close() leaves them open).

Both processes are killed when a test is done with them; every wait is for a condition, with a
deadline.
"""

import base64
import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import kubernetes

ETCD_BINARY = "/usr/bin/etcd"
FAKE = Path(__file__).resolve().with_name("fake_apiserver.py")
STARTUP_TIMEOUT = 20.0


def free_port():
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def b64(text):
    return base64.b64encode(text.encode()).decode()


def wait_for(condition, timeout, message):
    """Polls `condition` until it returns something true, which is returned; fails at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.02)


class Etcd:
    def __init__(self):
        self.process = None
        self.directory = None
        self.port = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        """Starts etcd; a port taken between choosing and binding it means another try."""
        if not os.path.exists(ETCD_BINARY):
            raise AssertionError(f"{ETCD_BINARY} is missing (Debian's etcd-server; make deps installs it)")
        log = ""
        for _ in range(5):
            self.directory = Path(tempfile.mkdtemp(prefix="goethe-k8s-etcd-"))
            self.port, peer_port = free_port(), free_port()
            client, peer = f"http://127.0.0.1:{self.port}", f"http://127.0.0.1:{peer_port}"
            self.process = subprocess.Popen(
                [ETCD_BINARY, "--name", "test", "--data-dir", str(self.directory / "data"),
                 "--listen-client-urls", client, "--advertise-client-urls", client,
                 "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                 "--initial-cluster", f"test={peer}", "--initial-cluster-state", "new",
                 # A single member elects itself after one election timeout: keep it short.
                 "--heartbeat-interval", "20", "--election-timeout", "200",
                 "--logger", "zap", "--log-outputs", str(self.directory / "etcd.log")],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while time.monotonic() < deadline and self.process.poll() is None:
                if self.healthy():
                    return self
                time.sleep(0.05)
            log_file = self.directory / "etcd.log"
            log = log_file.read_text(errors="replace")[-600:] if log_file.exists() else "no log"
            self.stop()
        raise AssertionError("etcd did not start:\n" + log)

    def healthy(self):
        try:
            with urllib.request.urlopen(self.url + "/health", timeout=2) as response:
                return json.load(response).get("health") == "true"
        except (OSError, ValueError):
            return False

    def call(self, method, body):
        """A call of the v3 JSON gateway, e.g. call("kv/range", {"key": b64(key)})."""
        request = urllib.request.Request(f"{self.url}/v3/{method}", json.dumps(body).encode(),
                                         {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def get(self, key):
        """The kv of a key, or None."""
        kvs = self.call("kv/range", {"key": b64(key)}).get("kvs") or []
        return kvs[0] if kvs else None

    def revision(self):
        return int(self.call("kv/range", {"key": b64("\0")})["header"]["revision"])

    def compact(self, revision):
        self.call("kv/compaction", {"revision": str(revision), "physical": True})

    def metric(self, name):
        """A gauge or counter of etcd's /metrics, as a float."""
        with urllib.request.urlopen(self.url + "/metrics", timeout=5) as response:
            for line in response.read().decode().splitlines():
                if line.startswith(name + " "):
                    return float(line.split()[1])
        raise AssertionError(f"etcd has no metric {name}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)


class FakeApiServer:
    def __init__(self, etcd, *extra_args):
        self.etcd = etcd
        self.extra_args = [str(arg) for arg in extra_args]
        self.process = None
        self.port = None
        self.scheme = "https" if "--tls-cert" in self.extra_args else "http"
        self.stderr = tempfile.TemporaryFile()

    @property
    def url(self):
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, str(FAKE), "--etcd", self.etcd.url, "--port", "0", *self.extra_args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.stderr)
        lines = queue.Queue()
        threading.Thread(target=lambda: lines.put(self.process.stdout.readline()), daemon=True).start()
        try:
            line = lines.get(timeout=STARTUP_TIMEOUT).decode()
        except queue.Empty:
            line = ""
        prefix = "listening on 127.0.0.1:"
        if not line.startswith(prefix) or not line.endswith("\n"):
            self.stop()
            raise AssertionError(f"the fake did not say 'listening on': {line!r}\n{self.log()}")
        self.port = int(line[len(prefix):])
        return self

    def log(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.process:
            self.process.stdout.close()
        self.stderr.close()


def api_client(server, token=None, ca_file=None):
    """An ApiClient of the official client for the fake, optionally with a bearer token."""
    configuration = kubernetes.client.Configuration()
    configuration.host = server.url
    if token is not None:
        configuration.api_key = {"authorization": token}
        configuration.api_key_prefix = {"authorization": "Bearer"}
    if ca_file is not None:
        configuration.ssl_ca_cert = str(ca_file)
    return kubernetes.client.ApiClient(configuration)


def close_client(client):
    client.close()
    client.rest_client.pool_manager.clear()
