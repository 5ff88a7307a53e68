"""Exit codes, one-line errors, and where the global options may go."""

import socket
import subprocess
import threading
import time
import unittest

from support import (GOETHECTL, GoetheTestCase, SilentServer, base_env, free_port, parse_ids, parse_json_lines,
                     run_ctl, unique)

ACCEPTED_FORMS = ["beginning", "end", "an event id", "2019-05-03", "2019-05-03 14:00", "2019-05-03T14:00:00Z",
                  "@1556841600", "90s ago", "15m ago", "2h ago", "3d ago", "now", "today", "yesterday"]


class NotGoethe:
    """An HTTP/2 server (prior knowledge, as gRPC speaks it) that answers every request with 404."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.address = f"127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(connection)
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    @staticmethod
    def _frame(kind, flags, stream, payload=b""):
        return len(payload).to_bytes(3, "big") + bytes([kind, flags]) + stream.to_bytes(4, "big") + payload

    def _serve(self, connection):
        try:
            reader = connection.makefile("rb")
            reader.read(24)  # the client's connection preface
            connection.sendall(self._frame(4, 0, 0))  # SETTINGS
            while True:
                header = reader.read(9)
                if len(header) < 9:
                    return
                length, kind, flags = int.from_bytes(header[:3], "big"), header[3], header[4]
                stream = int.from_bytes(header[5:9], "big") & 0x7FFFFFFF
                reader.read(length)
                if kind == 4 and not flags & 1:
                    connection.sendall(self._frame(4, 1, 0))  # SETTINGS ACK
                elif kind == 1:
                    # HEADERS, END_STREAM | END_HEADERS: ":status: 404" is entry 13 of HPACK's static table.
                    connection.sendall(self._frame(1, 5, stream, bytes([0x80 | 13])))
        except OSError:
            return

    def close(self):
        self.sock.close()
        for connection in self.connections:
            connection.close()


class ErrorTestCase(GoetheTestCase):
    def assertError(self, expected_code, args, server=None, placement="after", input=None, env=None):
        """Exit code, empty stdout and exactly one `goethectl:` line on stderr, which is returned."""
        code, out, err = run_ctl(args, server=self.server if server is None else server, placement=placement,
                                 input=input, env=env)
        self.assertEqual(code, expected_code, f"goethectl {' '.join(map(str, args))}: stdout {out!r}, stderr {err!r}")
        self.assertEqual(out, "")
        return self.assertOneErrorLine(err)


class ExitCodeTests(ErrorTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = unique("errors")
        code, _, err = run_ctl(["topic", "create", cls.topic], server=cls.server)
        assert code == 0, err
        code, out, err = run_ctl(["produce", cls.topic, "one"], server=cls.server)
        assert code == 0, err

    # -- 0 ------------------------------------------------------------------------------------

    def test_success_is_0(self):
        code, out, err = self.ctl("topic", "list")
        self.assertEqual((code, err), (0, ""))
        self.assertIn(self.topic, out)

    def test_help_is_0(self):
        for args in (["--help"], ["tail", "--help"], ["cursor", "set", "--help"]):
            with self.subTest(args=args):
                code, out, err = run_ctl(args)
                self.assertEqual((code, err), (0, ""))
                self.assertIn("USAGE", out)

    def test_without_a_command_and_without_a_terminal_prints_help(self):
        code, out, err = run_ctl([])
        self.assertEqual((code, err), (0, ""))
        self.assertIn("USAGE", out)
        self.assertIn("Exit codes", out)

    # -- 1: the operation failed ------------------------------------------------------------

    def test_expect_seq_conflict_is_1(self):
        line = self.assertError(1, ["produce", self.topic, "two", "--expect-seq", "7"])
        self.assertIn("sequence 1", line)
        self.assertEqual(self.describe(self.topic)["events"], 1)

    def test_creating_an_existing_topic_is_1(self):
        line = self.assertError(1, ["topic", "create", self.topic])
        self.assertIn(self.topic, line)
        self.assertIn("exists", line)

    # -- 2: usage ----------------------------------------------------------------------------

    def test_unparseable_position_lists_the_accepted_forms(self):
        for args in (["replay", self.topic, "--from", "next tuesday"],
                     ["replay", self.topic, "--from", "beginning", "--to", "soonish"],
                     ["consume", self.topic, "--consumer", "c", "--from", "@12x"],
                     ["cursor", "set", self.topic, "c", "the middle"],
                     ["topic", "stats", self.topic, "--from", "2019-13-45"]):
            with self.subTest(args=args):
                line = self.assertError(2, args)
                for form in ACCEPTED_FORMS:
                    self.assertIn(form, line)

    def test_unknown_flag_is_2(self):
        line = self.assertError(2, ["tail", self.topic, "--bogus"])
        self.assertIn("--bogus", line)

    def test_missing_argument_is_2(self):
        self.assertIn("<topic>", self.assertError(2, ["tail"]))
        self.assertIn("--consumer", self.assertError(2, ["consume", self.topic]))
        self.assertIn("<consumer>", self.assertError(2, ["cursor", "get", self.topic]))

    def test_a_mistyped_command_gets_a_suggestion(self):
        for args, typed, meant in ((["topic", "lst"], "topic lst", "topic list"), (["tial", "t"], "tial", "tail"),
                                   (["cursr", "list"], "cursr", "cursor"), (["help", "topic", "descibe"], "topic descibe",
                                                                            "topic describe")):
            with self.subTest(args=args):
                line = self.assertError(2, args)
                self.assertIn(f'unknown command "{typed}" (did you mean "{meant}"?)', line)

    def test_help_for_an_unknown_command_is_a_usage_error(self):
        line = self.assertError(2, ["help", "nosuch"])
        self.assertEqual(line, 'goethectl: unknown command "nosuch"; see: goethectl --help')
        code, out, err = run_ctl(["repl"], input="help nosuch\n")
        self.assertEqual((code, out), (2, ""))
        self.assertIn('line 1: unknown command "nosuch"', err)
        self.assertIn("USAGE", run_ctl(["help", "topic", "list"])[1])

    def test_unknown_command_is_2(self):
        self.assertError(2, ["frobnicate"])

    def test_bad_global_option_values_are_2(self):
        self.assertIn("yaml", self.assertError(2, ["tail", self.topic, "-o", "yaml"]))
        self.assertIn("xx", self.assertError(2, ["tail", self.topic, "--timeout", "xx"]))
        self.assertIn("nonsense", self.assertError(2, ["tail", self.topic], server="nonsense"))

    def test_bad_number_is_2(self):
        self.assertError(2, ["tail", self.topic, "-n", "many"])
        self.assertError(2, ["produce", self.topic, "x", "--expect-seq", "-1"])

    # -- 3: not found ------------------------------------------------------------------------

    def test_unknown_topic_is_3(self):
        missing = unique("nope")
        for args in (["tail", missing], ["tail", missing, "-f"], ["topic", "describe", missing],
                     ["replay", missing, "--from", "beginning"], ["topic", "stats", missing],
                     ["cursor", "list", missing]):
            with self.subTest(args=args):
                line = self.assertError(3, args)
                self.assertIn(f"topic {missing} does not exist", line)

    def test_unknown_cursor_is_3(self):
        line = self.assertError(3, ["cursor", "get", self.topic, "nobody"])
        self.assertIn("nobody", line)

    # -- 4: cannot reach the server ----------------------------------------------------------

    def test_nothing_listening_is_4(self):
        port = free_port()
        dead = f"127.0.0.1:{port}"
        for args in (["topic", "list"], ["topic", "create", "t"], ["produce", "t", "x"], ["tail", "t"],
                     ["tail", "t", "-f"], ["replay", "t", "--from", "beginning"], ["consume", "t", "--consumer", "c"],
                     ["cursor", "list"]):
            with self.subTest(args=args):
                started = time.monotonic()
                line = self.assertError(4, args, server=dead)
                self.assertTrue(line.startswith(f"goethectl: cannot reach goethe at {dead}"), line)
                self.assertIn("is the daemon running?", line)
                self.assertLess(time.monotonic() - started, 10)

    def test_unreachable_via_environment(self):
        dead = f"127.0.0.1:{free_port()}"
        line = self.assertError(4, ["topic", "list"], server=dead, placement="env")
        self.assertTrue(line.startswith(f"goethectl: cannot reach goethe at {dead}"), line)

    def test_produce_from_stdin_to_a_stopped_server_is_4(self):
        dead = f"127.0.0.1:{free_port()}"
        line = self.assertError(4, ["produce", "t"], server=dead, input="a\nb\n")
        self.assertIn(f"cannot reach goethe at {dead}", line)

    def test_request_timeout_applies_to_a_server_that_never_answers(self):
        silent = SilentServer()
        self.addCleanup(silent.close)
        try:
            code, out, err = run_ctl(["topic", "list", "--timeout", "1s"], server=silent.address, timeout=4)
        except subprocess.TimeoutExpired:
            self.fail("goethectl topic list --timeout 1s still ran after 4 s")
        # A server that never answers is one goethectl cannot talk to, as one that refuses: 4.
        self.assertEqual(code, 4, err)
        self.assertEqual(out, "")
        line = self.assertOneErrorLine(err)
        self.assertIn("did not answer within", line)

    def test_the_default_timeout_is_documented(self):
        option = " ".join(run_ctl(["topic", "list", "--help"])[1].split())
        self.assertRegex(option, r"--timeout <duration> [^-]*default: 10s")
        overview = " ".join(run_ctl(["--help"])[1].split())
        self.assertRegex(overview, r"4 cannot reach the server \([^)]*--timeout")

    def test_an_http2_server_that_is_not_goethe_is_4_and_says_so(self):
        # An HTTP/2 answer other than 200 (here 404 Not Found) is what an operator meets when
        # --server names something else.
        other = NotGoethe()
        self.addCleanup(other.close)
        line = self.assertError(4, ["topic", "list"], server=other.address)
        self.assertTrue(line.startswith(f"goethectl: cannot reach goethe at {other.address}"), line)
        self.assertIn("404 Not Found", line)
        self.assertIn("not a gRPC server", line)
        self.assertNotIn("answered HTTP", line)


class GlobalOptionPlacementTests(ErrorTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = unique("placement")
        code, _, err = run_ctl(["topic", "create", cls.topic], server=cls.server)
        assert code == 0, err
        code, out, err = run_ctl(["produce", cls.topic, "placed"], server=cls.server)
        assert code == 0, err
        (cls.event_id,) = parse_ids(out)

    def tail_json(self, args, **kwargs):
        code, out, err = run_ctl(args, **kwargs)
        self.assertEqual(code, 0, err)
        self.assertEqual(err, "")
        (row,) = parse_json_lines(out)
        self.assertEqual((row["id"], row["payload"]), (str(self.event_id), "placed"))

    def test_server_after_the_subcommand(self):
        self.tail_json(["tail", self.topic, "-o", "json"], server=self.server, placement="after")

    def test_server_before_the_subcommand(self):
        self.tail_json(["tail", self.topic, "-o", "json"], server=self.server, placement="before")

    def test_server_from_the_environment(self):
        self.tail_json(["tail", self.topic, "-o", "json"], server=self.server, placement="env")

    def test_server_with_equals_sign_before_the_subcommand(self):
        self.tail_json([f"--server={self.server}", "tail", self.topic, "-o", "json"])

    def test_several_global_options_before_the_subcommand(self):
        self.tail_json(["--server", self.server, "-o", "json", "--utc", "--no-color", "--timeout", "5s",
                        "tail", self.topic])

    def test_global_options_before_a_nested_subcommand(self):
        code, out, err = run_ctl(["--server", self.server, "--output", "json", "topic", "describe", self.topic])
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(parse_json_lines(out)[0]["last_id"], str(self.event_id))

    def test_short_server_option_before_and_after_the_subcommand(self):
        self.tail_json(["-s", self.server, "tail", self.topic, "-o", "json"])
        self.tail_json(["tail", self.topic, "-o", "json", "-s", self.server])

    def test_attached_short_options(self):
        # -n1, -ojson and -sHOST:PORT, as getopt reads them, before and after the subcommand.
        self.tail_json(["tail", self.topic, "-n1", "-ojson", f"-s{self.server}"])
        self.tail_json([f"-s{self.server}", "-ojson", "tail", self.topic, "-n1"])
        code, out, err = run_ctl([f"-s{self.server}", "repl"], input=f"tail {self.topic} -n1 -ojson\n")
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(parse_json_lines(out)[0]["id"], str(self.event_id))
        self.assertIn("-x", self.assertError(2, ["tail", self.topic, "-n1", "-x"], server=self.server))

    def test_short_server_option_in_a_session_wins_over_the_sessions(self):
        dead = f"127.0.0.1:{free_port()}"
        code, out, err = run_ctl(["-s", dead, "repl"], input=f"tail {self.topic} -o json -s {self.server}\n")
        self.assertEqual((code, err), (0, ""))
        (row,) = parse_json_lines(out)
        self.assertEqual(row["id"], str(self.event_id))

    def test_flag_wins_over_the_environment(self):
        dead = f"127.0.0.1:{free_port()}"
        self.tail_json(["tail", self.topic, "-o", "json", "--server", self.server], env={"GOETHE_SERVER": dead})

    def test_default_server_is_127_0_0_1_1337(self):
        try:
            probe = subprocess.run(
                [str(GOETHECTL), "topic", "list", "--timeout", "2s"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL, env=base_env(), timeout=15)
        except subprocess.TimeoutExpired:
            self.skipTest("something holds 127.0.0.1:1337 without answering")
        if probe.returncode != 4:
            self.skipTest("something answers on 127.0.0.1:1337")
        self.assertEqual(probe.stdout, b"")
        self.assertTrue(probe.stderr.decode().startswith("goethectl: cannot reach goethe at 127.0.0.1:1337"),
                        probe.stderr)


if __name__ == "__main__":
    unittest.main()
