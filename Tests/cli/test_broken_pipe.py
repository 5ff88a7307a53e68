"""goethectl when its reader goes away (`goethectl replay t --from beginning | head -1`): every output
path ends promptly and quietly, as `cat` does, with status 141 (128 + SIGPIPE) or 0.

The pipes here are shrunk to one page, so a few kilobytes of output cannot fit: goethectl is still
writing when the reader closes its end, and its next write really meets a broken pipe.
"""

import fcntl
import os
import subprocess
import time
import unittest

from support import CRASH_MARKS, GOETHECTL, GoetheTestCase, base_env, parse_json_lines, run_ctl, unique

PIPE_SIZE = 4096
# What the reader takes before it goes away: less than one event line.
READ_BYTES = 32
# How long goethectl may take to notice that its reader is gone.
PROMPTLY = 5.0
QUIET_STATUSES = (0, 141)
FORMATS = ("text", "json", "raw")


def small_pipe():
    """A pipe holding one page: (read end, write end)."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
    return read_end, write_end


class BrokenPipeTests(GoetheTestCase):
    EVENTS = 3000
    NAMES = 40

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = unique("pipe")
        code, _, err = run_ctl(["topic", "create", cls.topic], server=cls.server)
        assert code == 0, err
        lines = "".join(f"event {index} of the broken pipe tests\n" for index in range(cls.EVENTS))
        code, _, err = run_ctl(["produce", cls.topic], server=cls.server, input=lines)
        assert code == 0, err
        # Long topic and consumer names make every listing, and the description of cls.topic with
        # its consumers, several times larger than the pipe; one session creates them all.
        padding = "x" * 180
        script = "".join(f"topic create {unique('listed')}-{padding}\n" for _ in range(cls.NAMES))
        script += "".join(f"cursor set {cls.topic} {unique('consumer')}-{padding} beginning\n" for _ in range(cls.NAMES))
        code, _, err = run_ctl(["repl"], server=cls.server, input=script, timeout=120)
        assert code == 0, err

    def read_then_close(self, args, stdin=None):
        """Runs goethectl into a one-page pipe whose reader takes a few bytes and closes it while
        goethectl still has output to write; asserts a prompt, quiet end and returns the status."""
        read_end, write_end = small_pipe()
        process = subprocess.Popen(
            [str(GOETHECTL), *args, "--server", self.server], stdout=write_end, stderr=subprocess.PIPE,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL, env=self.env())
        self.addCleanup(self.kill, process)
        os.close(write_end)
        if stdin is not None:
            process.stdin.write(stdin.encode())
            process.stdin.close()
        try:
            self.assertTrue(os.read(read_end, READ_BYTES), f"goethectl {args} printed nothing")
            # The output is larger than the pipe and what was read: goethectl cannot have finished.
            self.assertIsNone(process.poll(), f"goethectl {args} finished: its output fits the pipe")
        finally:
            os.close(read_end)
        return self.assertEndsQuietly(process, args)

    def into_closed_pipe(self, args, stderr_too=False, statuses=QUIET_STATUSES):
        """Runs goethectl with stdout (and with `stderr_too` stderr as well, as `2>&1` makes it) on a
        pipe whose reader is gone before the first write; asserts a prompt, quiet end."""
        read_end, write_end = small_pipe()
        os.close(read_end)
        try:
            process = subprocess.Popen(
                [str(GOETHECTL), *args, "--server", self.server], stdout=write_end,
                stderr=write_end if stderr_too else subprocess.PIPE, stdin=subprocess.DEVNULL, env=self.env())
        finally:
            os.close(write_end)
        self.addCleanup(self.kill, process)
        return self.assertEndsQuietly(process, args, statuses)

    @staticmethod
    def env():
        # A crash should fail the test at once rather than after a long backtrace.
        return base_env(SWIFT_BACKTRACE="enable=no")

    def assertEndsQuietly(self, process, args, statuses=QUIET_STATUSES):
        started = time.monotonic()
        try:
            status = process.wait(timeout=PROMPTLY + 25)
        except subprocess.TimeoutExpired:
            self.fail(f"goethectl {args} still runs after its reader went away")
        elapsed = time.monotonic() - started
        err = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
        for mark in CRASH_MARKS:
            self.assertNotIn(mark, err, f"goethectl {args} crashed: {err[:2000]!r}")
        self.assertIn(status, statuses, f"goethectl {args} exited {status}; stderr: {err[:2000]!r}")
        self.assertEqual(err, "", f"goethectl {args} said something about its reader going away")
        self.assertLess(elapsed, PROMPTLY, f"goethectl {args} took {elapsed:.1f}s to notice its reader was gone")
        return status

    @staticmethod
    def kill(process):
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        for stream in (process.stdin, process.stderr):
            if stream:
                stream.close()

    def commands(self):
        """Every command that prints more than the pipe holds, for the given format."""
        return [
            ["replay", self.topic, "--from", "beginning"],
            ["tail", self.topic, "-n", str(self.EVENTS)],
            ["topic", "list"],
            ["topic", "describe", self.topic],
            ["cursor", "list"],
        ]

    # -- the reader takes a little, then goes away ------------------------------------------

    def test_every_output_path_in_every_format(self):
        for output in FORMATS:
            for args in self.commands():
                with self.subTest(output=output, args=args):
                    self.read_then_close([*args, "-o", output])

    def test_following_streams(self):
        for args in (["replay", self.topic, "--from", "beginning", "-f"], ["tail", self.topic, "-n", "2000", "-f"]):
            with self.subTest(args=args):
                self.read_then_close(args)

    def test_produce_printing_the_stored_ids(self):
        lines = "".join(f"acknowledged {index}\n" for index in range(2000))
        topic = unique("produce-pipe")
        self.ok("topic", "create", topic)
        self.read_then_close(["produce", topic], stdin=lines)

    def test_a_session_script(self):
        self.read_then_close(["repl"], stdin=f"topic list\nreplay {self.topic} --from beginning\n")

    def test_a_consumer_commits_no_event_it_could_not_deliver(self):
        consumer = unique("reader-gone")
        self.read_then_close(["consume", self.topic, "--consumer", consumer])
        cursors = {row["consumer"]: row for row in parse_json_lines(self.ok("cursor", "list", self.topic, "-o", "json"))}
        if consumer in cursors:
            self.assertGreater(cursors[consumer]["lag"], 0, "events the reader never got were committed")

    # -- the reader is gone before the first write ------------------------------------------

    def test_every_output_path_into_a_closed_pipe(self):
        for output in FORMATS:
            for args in self.commands():
                with self.subTest(output=output, args=args):
                    self.into_closed_pipe([*args, "-o", output])

    def test_notes_and_errors_into_a_closed_pipe(self):
        # stderr is the broken pipe as well: the start note and the error have nowhere to go.
        for args, statuses in ((["replay", self.topic, "--from", "1 second ago"], QUIET_STATUSES),
                               (["topic", "describe", unique("missing")], (3,))):
            with self.subTest(args=args):
                self.into_closed_pipe(args, stderr_too=True, statuses=statuses)

    # -- other write failures ---------------------------------------------------------------

    @unittest.skipUnless(os.path.exists("/dev/full"), "needs /dev/full")
    def test_a_full_disk_is_one_error_line(self):
        with open("/dev/full", "wb") as full:
            result = subprocess.run(
                [str(GOETHECTL), "replay", self.topic, "--from", "beginning", "--server", self.server], stdout=full,
                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=self.env(), timeout=30)
        err = result.stderr.decode()
        self.assertEqual(result.returncode, 1, err)
        self.assertEqual(self.assertOneErrorLine(err), "goethectl: cannot write the output: No space left on device")


if __name__ == "__main__":
    unittest.main()
