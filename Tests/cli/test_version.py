"""goethectl --version and goethectl version, which also asks the server for its own."""

import re
import unittest

from support import REPO_ROOT, GoetheTestCase, free_port, parse_json_lines, run_ctl

VERSION = re.search(r'current = "([^"]+)"', (REPO_ROOT / "Sources/GoetheKit/Values/GoetheVersion.swift").read_text())[1]


class VersionTests(GoetheTestCase):
    def test_version_flag_prints_the_clients_alone(self):
        code, out, err = run_ctl(["--version"])
        self.assertEqual((code, out, err), (0, f"goethectl {VERSION}\n", ""))

    def test_version_command_shows_client_and_server(self):
        lines = self.ok("version").splitlines()
        self.assertEqual(lines[0], f"goethectl {VERSION}")
        self.assertEqual(len(lines), 2)
        self.assertTrue(lines[1].startswith(f"goethe {VERSION} at {self.server} (node "), lines[1])
        self.assertIn("max event size 1 MiB", lines[1])

    def test_version_json(self):
        (row,) = parse_json_lines(self.ok("version", "-o", "json"))
        self.assertEqual((row["client"], row["server"], row["address"]), (VERSION, VERSION, self.server))
        self.assertEqual(row["max_event_size"], 1 << 20)
        self.assertIn(row["sync"], ("always", "never"))

    def test_client_flag_does_not_ask_the_server(self):
        code, out, err = run_ctl(["version", "--client"], server=f"127.0.0.1:{free_port()}")
        self.assertEqual((code, out, err), (0, f"goethectl {VERSION}\n", ""))

    def test_unreachable_server_still_shows_the_client_and_exits_4(self):
        dead = f"127.0.0.1:{free_port()}"
        code, out, err = run_ctl(["version"], server=dead)
        self.assertEqual((code, out), (4, f"goethectl {VERSION}\n"))
        self.assertIn(f"cannot reach goethe at {dead}", self.assertOneErrorLine(err))


if __name__ == "__main__":
    unittest.main()
