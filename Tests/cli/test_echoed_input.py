"""Errors that echo what was typed escape its control characters: a newline cannot split the one
error line, and an escape sequence never reaches the terminal."""

import re
import unittest

from support import GoetheTestCase, run_ctl, unique

HOSTILE = "bad\nline\x1b[31mred\x07\r\x9b"
# What a message may show of it: control characters written as escapes, C1 ones (U+009B) as well.
ESCAPED = "bad\\nline\\u{1B}[31mred\\u{07}\\r\\u{009B}"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class EchoedInputTests(GoetheTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = unique("echo")
        code, _, err = run_ctl(["topic", "create", cls.topic], server=cls.server)
        assert code == 0, err

    def assertEscapedError(self, args, code=2, shown=ESCAPED, **kwargs):
        line = self.fails(code, *args, **kwargs)
        self.assertIsNone(CONTROL.search(line), f"raw control characters in {line!r}")
        self.assertIn(shown, line)

    def test_positions(self):
        for args in (["replay", self.topic, "--from", HOSTILE], ["replay", self.topic, "--from", "beginning", "--to", HOSTILE],
                     ["consume", self.topic, "--consumer", "c", "--from", HOSTILE], ["cursor", "set", self.topic, "c", HOSTILE],
                     ["topic", "stats", self.topic, "--from", HOSTILE], ["topic", "stats", self.topic, "--to", HOSTILE]):
            with self.subTest(args=args):
                self.assertEscapedError(args)

    def test_option_values(self):
        for args in (["topic", "list", "--timeout", HOSTILE], ["topic", "create", unique("t"), "--index-granularity", HOSTILE],
                     ["tail", self.topic, "-n", HOSTILE], ["tail", self.topic, "-o", HOSTILE]):
            with self.subTest(args=args):
                self.assertEscapedError(args)
        self.assertEscapedError(["topic", "list", "--server", HOSTILE], placement=None)

    def test_names_the_server_refuses(self):
        self.assertEscapedError(["topic", "create", HOSTILE])
        self.assertEscapedError(["cursor", "set", self.topic, HOSTILE, "beginning"])

    def test_unknown_options_and_commands(self):
        self.assertEscapedError(["tail", self.topic, "--" + HOSTILE], shown="line\\u{1B}[31mred")
        # At the top level --server is no option yet: the server comes from the environment.
        self.assertEscapedError([HOSTILE], shown="line\\u{1B}[31mred", placement="env")

    def test_a_file_that_cannot_be_read(self):
        self.assertEscapedError(["produce", self.topic, "--file", "/nonexistent/" + HOSTILE])

    def test_an_unterminated_quote_in_a_session(self):
        self.assertEscapedError(["repl"], input=f"tail '{self.topic} \x1b[31m\n", shown="\\u{1B}[31m")


if __name__ == "__main__":
    unittest.main()
