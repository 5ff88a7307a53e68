"""--server and GOETHE_SERVER take several addresses, the nodes of a cluster: goethectl moves on
from one it cannot reach, for reads and for writes that could not have been sent."""

import json
import unittest

from support import GoetheTestCase, free_port, run_ctl


class ServerListTest(GoetheTestCase):
    def dead_then_live(self):
        return f"127.0.0.1:{free_port()},{self.server}"

    def test_reads_and_writes_move_on_from_a_server_that_cannot_be_reached(self):
        servers = self.dead_then_live()
        code, out, err = run_ctl(["produce", "server-list", "one"], server=servers)
        self.assertEqual(code, 0, err)
        code, out, err = run_ctl(["produce", "server-list", "two"], server=servers)
        self.assertEqual(code, 0, err)
        for placement in ("after", "before", "env"):
            code, out, err = run_ctl(["replay", "server-list", "-o", "raw"], server=servers, placement=placement)
            self.assertEqual((code, out), (0, "one\ntwo\n"), err)

    def test_produce_from_stdin_streams_to_the_server_that_answers(self):
        code, out, err = run_ctl(["produce", "server-list-stdin"], server=self.dead_then_live(), input="a\nb\nc\n")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.ok("replay", "server-list-stdin", "-o", "raw"), "a\nb\nc\n")

    def test_version_names_the_server_that_answered(self):
        code, out, err = run_ctl(["version", "-o", "json"], server=self.dead_then_live())
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out.strip().splitlines()[-1])["address"], self.server)

    def test_no_server_of_the_list_answering_exits_4_naming_the_last_tried(self):
        first, second = f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"
        code, out, err = run_ctl(["topic", "list"], server=f"{first},{second}")
        self.assertEqual(code, 4, err)
        self.assertEqual(err.count("\n"), 1, err)
        self.assertIn(f"cannot reach goethe at {second}", err)

    def test_a_list_with_a_gap_is_refused_in_one_line(self):
        code, out, err = run_ctl(["topic", "list"], server=f"{self.server},,")
        self.assertEqual(code, 2, err)
        self.assertEqual(err.count("\n"), 1, err)
        self.assertIn("invalid address list", err)


if __name__ == "__main__":
    unittest.main()
