"""produce -q/--quiet, and the one-line summaries (`produced 3 events to t (seq 1..3)`, `replayed 3
events`) that go to stderr only when it is a terminal."""

import os
import tempfile
import unittest

import pexpect

from support import GOETHECTL, GoetheTestCase, base_env, parse_ids


class QuietAndSummaryTests(GoetheTestCase):
    def setUp(self):
        self.topic = self.create_topic("summary")
        handle, self.path = tempfile.mkstemp(dir=self.tmp)
        with os.fdopen(handle, "w") as file:
            file.write("one\ntwo\n\nthree\n")

    def on_terminal(self, *args):
        """What `goethectl ARGS` writes to a pseudo-terminal, stdout and stderr together, as lines."""
        child = pexpect.spawn(str(GOETHECTL), [*args, "--server", self.server], env=base_env(TERM="xterm"),
                              dimensions=(24, 200), timeout=20, encoding="utf-8")
        child.expect(pexpect.EOF)
        output = child.before
        child.close()
        self.assertEqual(child.exitstatus, 0, output)
        return output.replace("\r", "").splitlines()

    def test_quiet_prints_no_ids_in_a_pipe(self):
        code, out, err = self.ctl("produce", self.topic, "-q", "--file", self.path)
        self.assertEqual((code, out, err), (0, "", ""))
        self.assertEqual(self.describe(self.topic)["events"], 3)
        code, out, err = self.ctl("produce", self.topic, "--quiet", input="four\n")
        self.assertEqual((code, out, err), (0, "", ""))
        self.assertEqual(self.describe(self.topic)["events"], 4)

    def test_a_pipe_gets_ids_and_no_summary(self):
        code, out, err = self.ctl("produce", self.topic, "--file", self.path)
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(len(parse_ids(out)), 3)
        code, out, err = self.ctl("replay", self.topic, "--from", "beginning")
        self.assertEqual((code, err), (0, ""))

    def test_quiet_on_a_terminal_prints_only_the_summary(self):
        self.produce(self.topic, "before")
        lines = self.on_terminal("produce", self.topic, "-q", "--file", self.path)
        self.assertEqual(lines, [f"produced 3 events to {self.topic} (seq 2..4)"])

    def test_produce_on_a_terminal_prints_ids_then_the_summary(self):
        lines = self.on_terminal("produce", self.topic, "--file", self.path)
        self.assertEqual(len(parse_ids("\n".join(lines[:3]))), 3)
        self.assertEqual(lines[3:], [f"produced 3 events to {self.topic} (seq 1..3)"])

    def test_replay_and_consume_on_a_terminal_end_with_a_summary(self):
        self.ok("produce", self.topic, "--file", self.path)
        lines = self.on_terminal("replay", self.topic, "--from", "beginning", "--no-color")
        self.assertEqual(len(lines), 4)
        self.assertTrue(lines[2].endswith("  three"), lines)
        self.assertEqual(lines[3], "replayed 3 events")
        lines = self.on_terminal("consume", self.topic, "--consumer", "c", "--limit", "1", "--no-color")
        self.assertEqual(lines[1:], ["consumed 1 event"])


if __name__ == "__main__":
    unittest.main()
