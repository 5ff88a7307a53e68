"""The goethectl session: interactively in a pseudo-terminal (pexpect), and scripted from stdin."""

import os
import re
import subprocess
import tempfile
import threading
import unittest

import pexpect

from support import (GOETHECTL, GoetheTestCase, base_env, parse_ids, parse_json_lines, parse_text_events, run_ctl,
                     unique)

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def clean(text):
    """Terminal output without escape sequences and carriage returns."""
    return ANSI.sub("", text).replace("\r", "")


class InteractiveTests(GoetheTestCase):
    TOPIC = "orders-repl"  # the only topic starting with "or" on this class's daemon
    OTHER = "zeta-repl"
    CONSUMER = "worker"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for args in (["topic", "create", cls.TOPIC], ["topic", "create", cls.OTHER],
                     ["produce", cls.TOPIC, "seed"], ["cursor", "set", cls.TOPIC, cls.CONSUMER, "beginning"]):
            code, _, err = run_ctl(args, server=cls.server)
            assert code == 0, err
        cls.prompt = f"goethe {cls.server}> "

    def spawn(self, bare=False, extra_args=()):
        """A session in a pseudo-terminal, at its first prompt; returns (child, banner, state dir)."""
        state = tempfile.mkdtemp(dir=self.tmp)
        env = base_env(XDG_STATE_HOME=state, TERM="xterm", GOETHE_SERVER=self.server if bare else None)
        args = [] if bare else ["--server", self.server, *extra_args, "repl"]
        child = pexpect.spawn(str(GOETHECTL), args, env=env, dimensions=(40, 250), timeout=10, encoding="utf-8",
                              codec_errors="replace")
        self.addCleanup(self.close, child)
        child.expect_exact(self.prompt)
        return child, clean(child.before), state

    @staticmethod
    def close(child):
        if child.isalive():
            child.terminate(force=True)
        child.close()

    def run_line(self, child, line, timeout=10):
        """Types a line and Enter; returns what appeared until the next prompt, without the echoed line."""
        child.send(line + "\r")
        child.expect_exact(self.prompt, timeout=timeout)
        output = clean(child.before)
        echoed, _, rest = output.partition("\n")
        self.assertEqual(echoed.strip(), line.strip())
        return rest

    def last_event(self, topic=None):
        code, out, err = run_ctl(["tail", topic or self.TOPIC, "-n", "1", "-o", "json"], server=self.server)
        self.assertEqual(code, 0, err)
        (row,) = parse_json_lines(out)
        return int(row["id"]), row["payload"]

    def produce_outside(self, payload):
        code, out, err = run_ctl(["produce", self.TOPIC, payload], server=self.server)
        self.assertEqual(code, 0, err)
        (event_id,) = parse_ids(out)
        return event_id

    # -- basics -------------------------------------------------------------------------------

    def test_prompt_names_the_server_and_commands_print_their_output(self):
        child, banner, _ = self.spawn()
        self.assertIn(f"goethe session on {self.server}", banner)
        lines = self.run_line(child, "topic list").splitlines()
        self.assertEqual(lines[0].split(), ["TOPIC", "EVENTS", "LAST", "EVENT", "INDEX"])
        self.assertEqual(sorted(line.split()[0] for line in lines[1:]), [self.TOPIC, self.OTHER])

    def test_bare_goethectl_on_a_terminal_opens_the_session(self):
        child, banner, _ = self.spawn(bare=True)
        self.assertIn(f"goethe session on {self.server}", banner)
        self.assertIn(self.TOPIC, self.run_line(child, "topic list"))
        child.sendeof()
        child.expect(pexpect.EOF)
        child.close()
        self.assertEqual(child.exitstatus, 0)

    def test_session_passes_its_global_options_to_each_command(self):
        child, _, _ = self.spawn(extra_args=("-o", "json"))
        event_id, payload = self.last_event()
        (row,) = parse_json_lines(self.run_line(child, f"tail {self.TOPIC} -n 1"))
        self.assertEqual((row["id"], row["payload"]), (str(event_id), payload))

    def test_an_error_prints_one_line_and_the_session_goes_on(self):
        child, _, _ = self.spawn()
        output = self.run_line(child, "tail nope")
        self.assertEqual(output.splitlines(),
                         ["goethectl: topic nope does not exist; create it with: goethectl topic create nope"])
        self.assertIn(self.TOPIC, self.run_line(child, "topic list"))
        unknown = self.run_line(child, "frobnicate now").splitlines()
        self.assertEqual(len(unknown), 1)
        self.assertTrue(unknown[0].startswith("goethectl: "), unknown)
        self.assertIn(self.TOPIC, self.run_line(child, "topic list"))

    def test_quoted_words_make_one_argument(self):
        child, _, _ = self.spawn()
        before = self.describe(self.TOPIC)["head_seq"]
        output = self.run_line(child, f'produce {self.TOPIC} "two words"')
        (event_id,) = parse_ids(output)
        rows = parse_json_lines(self.ok("replay", self.TOPIC, "--from", str(event_id), "-o", "json"))
        self.assertEqual([(r["id"], r["payload"]) for r in rows], [(str(event_id), "two words")])
        self.assertEqual(self.describe(self.TOPIC)["head_seq"], before + 1)

    def test_produce_without_payload_is_refused_in_a_session(self):
        child, _, _ = self.spawn()
        before = self.describe(self.TOPIC)["head_seq"]
        output = self.run_line(child, f"produce {self.TOPIC}")
        self.assertEqual(output.splitlines(), ["goethectl: in a session, produce needs a PAYLOAD or --file"])
        self.assertEqual(self.describe(self.TOPIC)["head_seq"], before)

    # -- TAB ----------------------------------------------------------------------------------

    def test_tab_completes_a_command(self):
        child, _, _ = self.spawn()
        child.send("topic li\t")
        child.expect_exact("topic list", timeout=5)
        child.send("\r")
        child.expect_exact(self.prompt)
        lines = clean(child.before).splitlines()
        self.assertIn(self.TOPIC, [line.split()[0] for line in lines if line.strip()])

    def test_tab_completes_a_topic_name(self):
        child, _, _ = self.spawn()
        event_id, payload = self.last_event()
        child.send("tail or\t")
        child.expect_exact(f"tail {self.TOPIC}", timeout=5)
        child.send("-n 1\r")  # readline put a space after the completed name
        child.expect_exact(self.prompt)
        events = [parse_text_events(line)[0] for line in clean(child.before).splitlines() if re.match(r"^\d{4}-", line)]
        self.assertEqual([(i, p) for _, i, p in events], [(event_id, payload)])

    def test_tab_completes_a_consumer_name(self):
        child, _, _ = self.spawn()
        child.send(f"cursor get {self.TOPIC} wor\t")
        child.expect_exact(f"cursor get {self.TOPIC} {self.CONSUMER}", timeout=5)
        child.send("\r")
        child.expect_exact(self.prompt)
        rows = [line.split() for line in clean(child.before).splitlines() if line.startswith(self.TOPIC)]
        self.assertEqual([row[:2] for row in rows], [[self.TOPIC, self.CONSUMER]])

    def test_tab_quotes_a_name_that_needs_quoting(self):
        consumer = "night shift"
        self.ok("cursor", "set", self.TOPIC, consumer, "beginning")
        for typed in ("nig", "'nig"):
            with self.subTest(typed=typed):
                child, _, _ = self.spawn()
                child.send(f"cursor get {self.TOPIC} {typed}\t")
                child.expect_exact("'night shift' ", timeout=5)  # readline may rewrite the word with backspaces
                child.send("-o json\r")
                child.expect_exact(self.prompt)
                rows = parse_json_lines("\n".join(
                    line for line in clean(child.before).splitlines() if line.startswith("{")))
                self.assertEqual([(row["topic"], row["consumer"]) for row in rows], [(self.TOPIC, consumer)])

    def test_help_is_the_sessions_own(self):
        child, _, _ = self.spawn()
        output = self.run_line(child, "help")
        self.assertNotIn("Without a command on a terminal", output)
        self.assertNotIn("USAGE: goethectl", output)
        for word in ("topic", "produce", "tail", "replay", "consume", "cursor", "exit"):
            self.assertIn(word, output)
        self.assertNotRegex(output, r"(?m)^\s*repl\b")

    # -- Ctrl-C and Ctrl-D --------------------------------------------------------------------

    def follow_then_interrupt(self, child):
        marker = unique("mark")
        marker_id = self.produce_outside(marker)
        child.send(f"tail {self.TOPIC} -f -n 1\r")
        child.expect_exact(f"{marker_id}  {marker}")
        live = unique("live")
        live_id = self.produce_outside(live)
        child.expect_exact(f"{live_id}  {live}")
        child.sendintr()
        child.expect_exact(self.prompt, timeout=4)
        self.assertIn(self.TOPIC, self.run_line(child, "topic list"))

    def test_ctrl_c_ends_follow_and_the_prompt_comes_back(self):
        child, _, _ = self.spawn(bare=True)
        self.follow_then_interrupt(child)

    def test_ctrl_c_ends_follow_in_goethectl_repl(self):
        child, _, _ = self.spawn()
        self.follow_then_interrupt(child)

    def keep_producing(self, topic, prefix):
        """A goethectl produce process fed a new line as soon as the previous one is acknowledged,
        until the test ends."""
        producer = self.streaming("produce", topic, stdin=True)
        stop = threading.Event()

        def feed():
            count = 0
            try:
                while not stop.is_set():
                    count += 1
                    producer.write(f"{prefix}-{count}\n")
                    producer.read_line()
            except (AssertionError, OSError):
                pass  # the producer was stopped

        thread = threading.Thread(target=feed, daemon=True)
        thread.start()

        def finish():
            stop.set()
            thread.join(timeout=10)

        self.addCleanup(finish)

    def interrupt_quiet_follow(self, child):
        """Ctrl-C on a follow with nothing new to print: the prompt comes back and the session works."""
        marker = unique("quiet")
        code, _, err = run_ctl(["produce", self.OTHER, marker], server=self.server)
        self.assertEqual(code, 0, err)
        child.send(f"tail {self.OTHER} -f -n 1\r")
        child.expect_exact(marker)
        child.sendintr()
        child.expect_exact(self.prompt, timeout=4)
        self.assertIn(self.TOPIC, self.run_line(child, "topic list"))

    def interrupt_busy_follow(self, child, prefix):
        """Ctrl-C on a follow that is printing events as they are produced."""
        child.send(f"tail {self.TOPIC} -f -n 0\r")
        seen = set()
        while len(seen) < 2:  # live events are arriving
            child.expect(re.escape(prefix) + r"-(\d+)")
            seen.add(child.match.group(1))
        child.sendintr()
        child.expect_exact(self.prompt, timeout=4)
        self.assertIn(self.TOPIC, self.run_line(child, "topic list"))

    def test_ctrl_c_ends_each_follow_after_the_first_command(self):
        child, _, _ = self.spawn()
        self.assertIn(self.TOPIC, self.run_line(child, "topic list"))
        busy = unique("busy")
        self.keep_producing(self.TOPIC, busy)
        for _ in range(3):
            self.interrupt_quiet_follow(child)
            self.interrupt_busy_follow(child, busy)
            self.ctrl_c_clears_typed_text(child, rounds=1)

    def test_ctrl_c_ends_each_follow_in_a_bare_session(self):
        child, _, _ = self.spawn(bare=True)
        self.run_line(child, f"tail {self.OTHER} -n 1")
        busy = unique("busy")
        self.keep_producing(self.TOPIC, busy)
        self.interrupt_busy_follow(child, busy)
        self.interrupt_quiet_follow(child)

    def ctrl_c_clears_typed_text(self, child, rounds):
        for round_number in range(rounds):
            child.send("garbage words")
            child.expect_exact("garbage words")
            child.sendintr()
            child.expect_exact(self.prompt, timeout=3)
            output = self.run_line(child, "topic list")
            self.assertNotIn("goethectl:", output, f"round {round_number}: the typed text was not cleared")
            self.assertIn(self.TOPIC, output)

    def test_ctrl_c_at_the_prompt_clears_the_line(self):
        child, _, _ = self.spawn(bare=True)
        self.ctrl_c_clears_typed_text(child, rounds=2)

    def test_ctrl_c_at_the_prompt_in_goethectl_repl(self):
        child, _, _ = self.spawn()
        self.ctrl_c_clears_typed_text(child, rounds=5)

    def test_ctrl_d_exits_0_and_history_is_kept(self):
        child, _, state = self.spawn()
        self.run_line(child, "topic list")
        self.run_line(child, f"tail {self.OTHER} -n 1")
        self.run_line(child, "   ")  # blank lines are not history
        child.sendeof()
        child.expect(pexpect.EOF)
        child.close()
        self.assertEqual((child.exitstatus, child.signalstatus), (0, None))
        with open(os.path.join(state, "goethe", "history")) as file:
            history = [line.rstrip("\n") for line in file if line.strip()]
        self.assertEqual(history, ["topic list", f"tail {self.OTHER} -n 1"])

    def test_history_is_offered_in_the_next_session(self):
        child, _, state = self.spawn()
        self.run_line(child, f"tail {self.OTHER} -n 3")
        child.sendeof()
        child.expect(pexpect.EOF)
        child.close()
        self.assertEqual(child.exitstatus, 0)
        env = base_env(XDG_STATE_HOME=state, TERM="xterm")
        again = pexpect.spawn(str(GOETHECTL), ["--server", self.server, "repl"], env=env, dimensions=(40, 250),
                              timeout=10, encoding="utf-8", codec_errors="replace")
        self.addCleanup(self.close, again)
        again.expect_exact(self.prompt)
        again.send("\x1b[A")  # up arrow: the previous session's last line
        again.expect_exact(f"tail {self.OTHER} -n 3")


class ScriptedTests(GoetheTestCase):
    """`goethectl repl < script`: commands line by line, no prompts."""

    def setUp(self):
        self.topic = unique("script")

    def run_script(self, text, *repl_args, before=True):
        handle, path = tempfile.mkstemp(dir=self.tmp, suffix=".txt")
        with os.fdopen(handle, "w") as file:
            file.write(text)
        args = (["--server", self.server, "repl"] if before else ["repl", "--server", self.server]) + list(repl_args)
        with open(path, "rb") as stdin:
            result = subprocess.run([str(GOETHECTL)] + args, stdin=stdin, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, env=base_env(), timeout=60)
        return result.returncode, result.stdout.decode(), result.stderr.decode()

    def payloads(self):
        return [row["payload"] for row in self.replay_json(self.topic)]

    def test_runs_each_line_skipping_blank_lines_and_comments(self):
        script = (f"# set up\n\ntopic create {self.topic}\n   # indented comment\n"
                  f'produce {self.topic} "two words"\n\nproduce {self.topic} second\ntail {self.topic} -o json\n')
        code, out, err = self.run_script(script)
        self.assertEqual((code, err), (0, ""))
        self.assertNotIn("goethe 127.0.0.1", out)
        self.assertNotIn("session", out)
        lines = out.splitlines()
        self.assertEqual(lines[0], f"created topic {self.topic} (time index per 1h)")
        ids = parse_ids("\n".join(lines[1:3]))
        rows = parse_json_lines("\n".join(lines[3:]))
        self.assertEqual([(r["id"], r["payload"]) for r in rows], [(str(ids[0]), "two words"), (str(ids[1]), "second")])
        self.assertEqual(len(lines), 5)

    def test_stops_at_the_first_failing_command_with_its_exit_code(self):
        self.ok("topic", "create", self.topic)
        script = f"produce {self.topic} first\ntail nope\nproduce {self.topic} after\n"
        code, out, err = self.run_script(script, before=False)
        self.assertEqual(code, 3)
        self.assertEqual(len(parse_ids(out)), 1)
        self.assertEqual(err, "goethectl: line 2: topic nope does not exist; create it with: goethectl topic create nope\n")
        self.assertEqual(self.payloads(), ["first"])

    def test_continue_on_error_runs_the_later_lines(self):
        self.ok("topic", "create", self.topic)
        script = f"produce {self.topic} first\ntail nope\nproduce {self.topic} after\n"
        code, out, err = self.run_script(script, "--continue-on-error")
        self.assertEqual(code, 3, "the status of the failed command")
        self.assertEqual(len(parse_ids(out)), 2)
        self.assertEqual(len(err.splitlines()), 1)
        self.assertEqual(self.payloads(), ["first", "after"])

    def test_exit_ends_the_script(self):
        self.ok("topic", "create", self.topic)
        code, out, err = self.run_script(f"produce {self.topic} first\nexit\nproduce {self.topic} never\n")
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(self.payloads(), ["first"])

    def test_produce_needs_a_payload_in_a_script(self):
        self.ok("topic", "create", self.topic)
        code, out, err = self.run_script(f"produce {self.topic} first\nproduce {self.topic}\nproduce {self.topic} x\n")
        self.assertEqual((code, err), (2, "goethectl: line 2: in a session, produce needs a PAYLOAD or --file\n"))
        self.assertEqual(self.payloads(), ["first"])

    def test_produce_cannot_read_the_scripts_own_stdin(self):
        self.ok("topic", "create", self.topic)
        code, out, err = self.run_script(f"produce {self.topic} --file -\nproduce {self.topic} x\n")
        self.assertEqual((code, err), (2, "goethectl: line 1: in a session, produce needs a PAYLOAD or --file\n"))
        self.assertEqual(self.payloads(), [])

    def test_errors_name_the_line_counting_blank_lines_and_comments(self):
        self.ok("topic", "create", self.topic)
        script = f"# a comment\n\nproduce {self.topic} first\ntail {self.topic} --frobnicate\n"
        code, out, err = self.run_script(script)
        self.assertEqual(code, 2)
        self.assertTrue(err.startswith("goethectl: line 4: "), err)
        self.assertEqual(len(err.splitlines()), 1)
        code, out, err = self.run_script(f'\nproduce {self.topic} "open\n')
        self.assertTrue(err.startswith("goethectl: line 2: unterminated quote"), err)

    def test_bare_goethectl_runs_a_script_from_stdin(self):
        # As redis-cli < commands: no `repl` needed, and global options alone apply to each line.
        self.ok("topic", "create", self.topic)
        script = f"produce {self.topic} first\ntail {self.topic} -o json\n"
        for args, env in (([], {"GOETHE_SERVER": self.server}), (["-s", self.server], {}),
                          (["--server", self.server, "-o", "json"], {})):
            with self.subTest(args=args):
                with tempfile.TemporaryFile() as stdin:
                    stdin.write(script.encode())
                    stdin.seek(0)
                    result = subprocess.run([str(GOETHECTL), *args], stdin=stdin, stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE, env=base_env(**env), timeout=60)
                self.assertEqual((result.returncode, result.stderr), (0, b""))
                self.assertEqual(parse_json_lines(result.stdout.decode().splitlines()[-1])[0]["payload"], "first")

    def test_bare_goethectl_reads_a_script_from_a_pipe(self):
        self.ok("topic", "create", self.topic)
        result = subprocess.run([str(GOETHECTL), "-s", self.server], input=f"produce {self.topic} piped\n".encode(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=base_env(), timeout=60)
        self.assertEqual((result.returncode, result.stderr), (0, b""))
        self.assertEqual(self.payloads(), ["piped"])

    def test_help_in_a_script_is_the_sessions_own(self):
        code, out, err = self.run_script("help\n")
        self.assertEqual((code, err), (0, ""))
        self.assertNotIn("Without a command on a terminal", out)
        self.assertIn("exit", out)

    def test_unterminated_quote_is_a_usage_error(self):
        code, out, err = self.run_script(f'produce {self.topic} "open\nproduce {self.topic} x\n')
        self.assertEqual((code, out), (2, ""))
        self.assertEqual(len(err.splitlines()), 1)
        self.assertIn("unterminated quote", err)
        self.fails(3, "topic", "describe", self.topic)


if __name__ == "__main__":
    unittest.main()
