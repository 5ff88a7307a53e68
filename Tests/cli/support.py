"""Shared fixtures for the goethectl end-to-end tests.

- `Daemon`: a real `goethe` on 127.0.0.1:0 with a data directory of its own; its stderr is read on
  a thread (so the pipe never fills) and the bound port is parsed from the "goethe listening" line.
- `GoetheTestCase`: one daemon per test class (`setUpClass`), stopped with SIGTERM in
  `tearDownClass`, which checks that it exits 0; `ctl()` runs goethectl against it.
- `Streaming`: a goethectl process whose stdout lines are read with deadlines (tail -f, consume -f,
  produce from a pipe).
- parsers for text event lines (`TIME  ID  PAYLOAD`) and JSON lines.

Environment: GOETHE_BIN_DIR (default: .build/debug under the repository root).
"""

import base64
import datetime
import itertools
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import zoneinfo
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN_DIR = Path(os.environ.get("GOETHE_BIN_DIR") or (REPO_ROOT / ".build" / "debug"))
if not BIN_DIR.is_absolute():
    BIN_DIR = (Path.cwd() / BIN_DIR).resolve()
GOETHE = BIN_DIR / "goethe"
GOETHECTL = BIN_DIR / "goethectl"
COMPLETIONS_DIR = REPO_ROOT / "completions"

# goethectl prints local times; a fixed zone with a half-hour offset and no daylight saving time
# makes "local" differ from UTC and keeps expectations deterministic.
TZ_NAME = "Asia/Kolkata" if Path("/usr/share/zoneinfo/Asia/Kolkata").exists() else "UTC"
LOCAL_TZ = zoneinfo.ZoneInfo(TZ_NAME)

STARTUP_TIMEOUT = 30.0
COMMAND_TIMEOUT = 30.0
STREAM_TIMEOUT = 10.0

# Marks of a crash or an uncaught error in a child's stderr.
CRASH_MARKS = ("Fatal error", "Backtrac", "Stack dump", "Traceback", "Swift runtime failure", "*** Signal")

_names = itertools.count(1)


def unique(prefix):
    """A topic or consumer name no other test uses."""
    return f"{prefix}-{os.getpid()}-{next(_names)}"


# goethectl's saved contexts: an empty place of the tests' own, so that none of the user's applies.
CONFIG_HOME = tempfile.mkdtemp(prefix="goethectl-config-")


def base_env(**extra):
    env = dict(os.environ)
    env.pop("GOETHE_SERVER", None)
    env.pop("GOETHE_TOKEN", None)
    env["XDG_CONFIG_HOME"] = CONFIG_HOME
    env["NO_COLOR"] = "1"
    env["TZ"] = TZ_NAME
    env.update({key: value for key, value in extra.items() if value is not None})
    return env


def free_port():
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# The daemon


class Daemon:
    def __init__(self, data_dir, extra_args=()):
        self.data_dir = Path(data_dir)
        self.extra_args = [str(arg) for arg in extra_args]
        self.process = None
        self.port = None
        self.stderr_lines = []
        self._lines = queue.Queue()
        self._reader = None

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def start(self):
        if not GOETHE.exists():
            raise unittest.SkipTest(f"{GOETHE} is not built (set GOETHE_BIN_DIR)")
        self.process = subprocess.Popen(
            [str(GOETHE), "--listen", "127.0.0.1:0", "--data-dir", str(self.data_dir), *self.extra_args],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=base_env())
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise AssertionError("goethe did not say 'goethe listening' in time:\n" + self.log())
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                self.process.wait(timeout=10)
                raise AssertionError(f"goethe exited with {self.process.returncode} before listening:\n" + self.log())
            if "goethe listening" in line:
                match = re.search(r"listen=127\.0\.0\.1:(\d+)", line)
                if not match:
                    self.kill()
                    raise AssertionError("cannot find listen=127.0.0.1:PORT in: " + line)
                self.port = int(match.group(1))
                return self

    def _drain(self):
        for raw in iter(self.process.stderr.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.stderr_lines.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def log(self):
        return "\n".join(self.stderr_lines)

    def stop(self):
        """SIGTERM, then the exit status (None when it had to be killed)."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        if self._reader:
            self._reader.join(timeout=5)
        self.process.stderr.close()
        return status

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        if self._reader:
            self._reader.join(timeout=5)
        if self.process:
            self.process.stderr.close()


# ---------------------------------------------------------------------------------------------
# Running goethectl


def run_ctl(args, server=None, placement="after", input=None, env=None, timeout=COMMAND_TIMEOUT, binary=False):
    """Runs goethectl; returns (exit code, stdout, stderr), text unless `binary`.

    placement: where `--server` goes: "after" (behind the subcommand's arguments), "before" (in
    front of the subcommand), "env" (GOETHE_SERVER) or None (not given).
    """
    args = [str(arg) for arg in args]
    extra_env = dict(env or {})
    if server is not None:
        if placement == "after":
            args = args + ["--server", server]
        elif placement == "before":
            args = ["--server", server] + args
        elif placement == "env":
            extra_env["GOETHE_SERVER"] = server
    if isinstance(input, str):
        input = input.encode()
    result = subprocess.run(
        [str(GOETHECTL)] + args, input=input, stdin=None if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=base_env(**extra_env), timeout=timeout)
    if binary:
        return result.returncode, result.stdout, result.stderr
    return (result.returncode, result.stdout.decode("utf-8", "surrogateescape"),
            result.stderr.decode("utf-8", "surrogateescape"))


class Streaming:
    """A goethectl process whose stdout is read line by line with deadlines."""

    def __init__(self, args, server, stdin=False, env=None):
        self.process = subprocess.Popen(
            [str(GOETHECTL)] + [str(arg) for arg in args] + ["--server", server],
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=base_env(**(env or {})))
        self._stdout = queue.Queue()
        self._stderr = queue.Queue()
        self.stdout_lines = []
        self.stderr_lines = []
        self._threads = [
            threading.Thread(target=self._read, args=(self.process.stdout, self._stdout, self.stdout_lines), daemon=True),
            threading.Thread(target=self._read, args=(self.process.stderr, self._stderr, self.stderr_lines), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    @staticmethod
    def _read(stream, lines_queue, collected):
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "surrogateescape").rstrip("\n")
            collected.append(line)
            if lines_queue is not None:
                lines_queue.put(line)
        if lines_queue is not None:
            lines_queue.put(None)

    def read_line(self, timeout=STREAM_TIMEOUT):
        """The next stdout line; fails at the deadline or at the end of output."""
        try:
            line = self._stdout.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(
                f"no output line within {timeout}s; stderr so far: {self.stderr_lines!r}") from None
        if line is None:
            self._stdout.put(None)
            raise AssertionError(f"output ended (exit {self.process.poll()}); stderr: {self.stderr_lines!r}")
        return line

    def read_stderr_line(self, timeout=STREAM_TIMEOUT):
        """The next stderr line (notes such as where a stream starts)."""
        try:
            line = self._stderr.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no stderr line within {timeout}s; stdout so far: {self.stdout_lines!r}") from None
        if line is None:
            self._stderr.put(None)
            raise AssertionError(f"stderr ended (exit {self.process.poll()}); stdout: {self.stdout_lines!r}")
        return line

    def read_lines(self, count, timeout=STREAM_TIMEOUT):
        deadline = time.monotonic() + timeout
        return [self.read_line(max(0.01, deadline - time.monotonic())) for _ in range(count)]

    def no_more_output(self):
        """Whether stdout has nothing queued (checked after the process ended)."""
        try:
            line = self._stdout.get_nowait()
        except queue.Empty:
            return True
        return line is None

    def write(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def close_stdin(self):
        self.process.stdin.close()

    def interrupt(self):
        self.process.send_signal(signal.SIGINT)

    def wait(self, timeout=STREAM_TIMEOUT):
        status = self.process.wait(timeout=timeout)
        for thread in self._threads:
            thread.join(timeout=5)
        return status

    def stderr(self):
        return "\n".join(self.stderr_lines)

    def kill(self):
        """Cleanup: kills the process if it still runs and closes the pipes."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        for thread in self._threads:
            thread.join(timeout=5)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream:
                try:
                    stream.close()
                except OSError:
                    pass


class SilentServer:
    """A TCP listener on 127.0.0.1 that accepts connections and never answers, as a hung server would."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = []
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def _accept(self):
        while not self._closed.is_set():
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self):
        self._closed.set()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        for connection in self.connections:
            connection.close()
        self._thread.join(timeout=5)


# ---------------------------------------------------------------------------------------------
# Parsing output

EVENT_LINE = re.compile(r"^(\S+)  (\d+)  (.*)$")


def parse_text_events(stdout):
    """[(time, id, payload)] from `TIME  ID  PAYLOAD` lines; fails on any other line."""
    events = []
    for line in stdout.splitlines():
        match = EVENT_LINE.match(line)
        if not match:
            raise AssertionError(f"not an event line: {line!r}")
        events.append((match.group(1), int(match.group(2)), match.group(3)))
    return events


def parse_event_line(line):
    match = EVENT_LINE.match(line)
    if not match:
        raise AssertionError(f"not an event line: {line!r}")
    return match.group(1), int(match.group(2)), match.group(3)


def parse_json_lines(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def parse_ids(stdout):
    """The ids produce printed, one per line."""
    lines = stdout.splitlines()
    for line in lines:
        if not re.fullmatch(r"\d+", line):
            raise AssertionError(f"not an id line: {line!r} in {stdout!r}")
    return [int(line) for line in lines]


def local_time(nanoseconds, tz=None):
    """goethectl's RFC 3339 rendering of an id's time: microseconds, `+HH:MM` (or `Z` for --utc)."""
    tz = tz or LOCAL_TZ
    seconds, rest = divmod(nanoseconds, 1_000_000_000)
    moment = datetime.datetime.fromtimestamp(seconds, tz)
    offset = moment.utcoffset()
    if tz is datetime.timezone.utc:
        zone = "Z"
    else:
        total = int(offset.total_seconds())
        sign = "-" if total < 0 else "+"
        zone = f"{sign}{abs(total) // 3600:02d}:{abs(total) % 3600 // 60:02d}"
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{rest // 1000:06d}" + zone


def utc_time(nanoseconds):
    """The time of an id as JSON output has it: UTC with `Z`, whatever TZ says."""
    return local_time(nanoseconds, datetime.timezone.utc)


def epoch_position(nanoseconds):
    """`@SECONDS.NANOSECONDS`, the exact time of `nanoseconds` as goethectl reads it."""
    seconds, rest = divmod(nanoseconds, 1_000_000_000)
    return f"@{seconds}.{rest:09d}"


def b64(data):
    return base64.b64encode(data).decode()


# ---------------------------------------------------------------------------------------------
# Test case base


class GoetheTestCase(unittest.TestCase):
    """One daemon for the whole class."""

    maxDiff = None
    daemon = None
    # Flags of the class's daemon.
    daemon_args = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix="goethectl-e2e-")
        cls.daemon = Daemon(Path(cls.tmp) / "data", cls.daemon_args).start()
        cls.server = cls.daemon.address

    @classmethod
    def tearDownClass(cls):
        status = cls.daemon.stop() if cls.daemon else 0
        shutil.rmtree(cls.tmp, ignore_errors=True)
        super().tearDownClass()
        if status != 0:
            raise AssertionError(f"goethe exited with {status} after SIGTERM, not 0:\n{cls.daemon.log()}")

    # -- running goethectl -------------------------------------------------------------------

    def ctl(self, *args, placement="after", **kwargs):
        return run_ctl(list(args), server=self.server, placement=placement, **kwargs)

    def ok(self, *args, **kwargs):
        """Runs goethectl, asserts exit 0 and a clean stderr; returns stdout."""
        code, out, err = self.ctl(*args, **kwargs)
        self.assertEqual(code, 0, f"goethectl {' '.join(map(str, args))} exited {code}; stderr: {err!r}")
        self.assertNotCrashed(err)
        return out

    def fails(self, expected_code, *args, **kwargs):
        """Runs goethectl, asserts the exit code, empty stdout and one `goethectl:` line on stderr; returns it."""
        code, out, err = self.ctl(*args, **kwargs)
        self.assertEqual(code, expected_code, f"goethectl {' '.join(map(str, args))}: stdout {out!r}, stderr {err!r}")
        self.assertEqual(out, "", "an error prints nothing on stdout")
        return self.assertOneErrorLine(err)

    def assertOneErrorLine(self, err):
        lines = err.splitlines()
        self.assertEqual(len(lines), 1, f"an error is exactly one line on stderr, got: {err!r}")
        self.assertTrue(err.endswith("\n"), repr(err))
        self.assertTrue(lines[0].startswith("goethectl: "), f"error line must start with 'goethectl: ': {err!r}")
        self.assertNotCrashed(err)
        return lines[0]

    def assertNotCrashed(self, err):
        for mark in CRASH_MARKS:
            self.assertNotIn(mark, err, f"crash output on stderr: {err[:2000]!r}")

    # -- helpers ------------------------------------------------------------------------------

    def create_topic(self, prefix="topic", granularity=None):
        name = unique(prefix)
        args = ["topic", "create", name] + (["--index-granularity", granularity] if granularity else [])
        self.ok(*args)
        return name

    def produce(self, topic, *payloads):
        """Produces each payload with its own command; returns the ids."""
        ids = []
        for payload in payloads:
            out = self.ok("produce", topic, payload)
            (event_id,) = parse_ids(out)
            ids.append(event_id)
        return ids

    def replay_json(self, topic, *args):
        return parse_json_lines(self.ok("replay", topic, "--from", "beginning", "-o", "json", *args))

    def replay_ids(self, topic, *extra, start="beginning"):
        return [int(event["id"]) for event in parse_json_lines(self.ok("replay", topic, "--from", start, "-o", "json", *extra))]

    def describe(self, topic):
        (info,) = parse_json_lines(self.ok("topic", "describe", topic, "-o", "json"))
        return info

    def streaming(self, *args, stdin=False, env=None):
        stream = Streaming(list(args), self.server, stdin=stdin, env=env)
        self.addCleanup(stream.kill)
        return stream
