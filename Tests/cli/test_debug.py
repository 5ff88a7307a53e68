"""-v/--debug: each call to the server, its status and its duration on stderr, as kubectl -v=6 shows requests."""

import re
import unittest

from support import GoetheTestCase, parse_ids, run_ctl, unique

TRACE = re.compile(r"^goethectl: debug: io\.typusomega\.goethe\.Goethe/(\w+) (\w+) in \d+\.\d\d(ms|s)$")


class DebugTests(GoetheTestCase):
    def calls(self, err):
        """(method, status) of each trace line; fails on any other line."""
        calls = []
        for line in err.splitlines():
            match = TRACE.match(line)
            self.assertIsNotNone(match, f"not a trace line: {line!r}")
            calls.append(match.group(1, 2))
        return calls

    def test_each_call_with_its_status(self):
        topic = self.create_topic("debug")
        code, out, err = self.ctl("-v", "produce", topic, "--file", "-", input="a\nb\n")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(parse_ids(out)), 2, "the output is unchanged")
        self.assertEqual(self.calls(err), [("ServerInfo", "OK"), ("AppendStream", "OK")])
        code, out, err = self.ctl("replay", topic, "--debug")
        self.assertEqual((code, self.calls(err)), (0, [("Subscribe", "OK")]))

    def test_a_failed_call_shows_its_status_before_the_error(self):
        code, out, err = self.ctl("topic", "describe", unique("missing"), "-v")
        self.assertEqual(code, 3)
        trace, error = err.splitlines()
        self.assertEqual(self.calls(trace), [("DescribeTopic", "notFound")])
        self.assertIn("does not exist", error)

    def test_a_session_passes_debug_to_each_command(self):
        code, out, err = run_ctl(["-v", "repl"], server=self.server, input="topic list\ntopic list\n")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.calls(err), [("ListTopics", "OK")] * 2)


if __name__ == "__main__":
    unittest.main()
