"""tail -f --retry: through a restart of the daemon, tail reconnects and goes on after the last
event it printed, without printing any twice."""

import shutil
import tempfile
import unittest
from pathlib import Path

from support import Daemon, Streaming, free_port, parse_event_line, parse_ids, run_ctl, unique


class TailRetryTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="goethectl-retry-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.port = free_port()
        self.daemon = self.start_daemon()

    def start_daemon(self):
        # The same port and data directory each time, as a restarted daemon has them.
        daemon = Daemon(Path(self.tmp) / "data", extra_args=["--listen", f"127.0.0.1:{self.port}"]).start()
        self.addCleanup(daemon.kill)
        return daemon

    def produce(self, topic, payload):
        code, out, err = run_ctl(["produce", topic, payload], server=self.daemon.address)
        self.assertEqual(code, 0, err)
        return parse_ids(out)[0]

    def test_reconnects_after_a_restart_and_resumes_after_the_last_printed_event(self):
        topic = unique("retry")
        first = self.produce(topic, "before")
        tail = Streaming(["tail", topic, "-f", "--retry", "-n", "5"], self.daemon.address)
        self.addCleanup(tail.kill)
        self.assertEqual(parse_event_line(tail.read_line())[1:], (first, "before"))

        self.assertEqual(self.daemon.stop(), 0)
        self.assertIn("reconnecting", tail.read_stderr_line())
        self.daemon = self.start_daemon()
        self.assertIn("reconnected to goethe at", tail.read_stderr_line(timeout=15))
        after = self.produce(topic, "after")
        self.assertEqual(parse_event_line(tail.read_line())[1:], (after, "after"))

        tail.interrupt()
        self.assertEqual(tail.wait(), 130)
        self.assertTrue(tail.no_more_output(), "no event printed twice")

    def test_waits_for_a_server_that_is_not_up_yet(self):
        topic = unique("later")
        self.produce(topic, "one")
        self.daemon.stop()
        tail = Streaming(["tail", topic, "-f", "--retry", "-n", "1"], self.daemon.address)
        self.addCleanup(tail.kill)
        self.assertIn("cannot reach goethe", tail.read_stderr_line())
        self.daemon = self.start_daemon()
        self.assertIn("one", tail.read_line(timeout=15))

    def test_retry_needs_follow(self):
        code, out, err = run_ctl(["tail", "t", "--retry"], server=self.daemon.address)
        self.assertEqual((code, out), (2, ""))
        self.assertIn("--retry needs -f", err)


if __name__ == "__main__":
    unittest.main()
