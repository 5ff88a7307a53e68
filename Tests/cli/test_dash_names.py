"""Names starting with '-' are valid topic (and consumer) names, but read as options unless they
follow `--`. Instead of taking `-dash` for the flags -d -a -s -h (and printing the help), goethectl
says so: a usage error suggesting the command line with `--`."""

import unittest

from support import GoetheTestCase, parse_json_lines, run_ctl, unique


class DashNameTests(GoetheTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = unique("dash")
        code, _, err = cls.goethectl(["topic", "create", cls.topic])
        assert code == 0, err

    @classmethod
    def goethectl(cls, args, placement="env", **kwargs):
        # The server comes from GOETHE_SERVER, so that the suggestions show the words as typed.
        return run_ctl(args, server=cls.server, placement=placement, **kwargs)

    def fails_before(self, code, *args):
        status, out, err = self.goethectl(list(args))
        self.assertEqual(status, code, f"goethectl {args}: stdout {out!r}, stderr {err!r}")
        self.assertEqual(out, "")
        return self.assertOneErrorLine(err)

    def ok_before(self, *args):
        status, out, err = self.goethectl(list(args))
        self.assertEqual((status, err), (0, ""), f"goethectl {args}")
        return out

    def test_a_dash_name_is_a_usage_error_that_suggests_double_dash(self):
        cases = [
            (["topic", "create", "-dash"], "goethectl topic create -- -dash"),
            (["topic", "create", "-dash", "--index-granularity", "1d"], "goethectl topic create --index-granularity 1d -- -dash"),
            (["topic", "describe", "-dash"], "goethectl topic describe -- -dash"),
            (["topic", "stats", "-dash"], "goethectl topic stats -- -dash"),
            (["tail", "-dash"], "goethectl tail -- -dash"),
            (["tail", "-x", "-n", "3"], "goethectl tail -n 3 -- -x"),
            (["replay", "-dash", "--from", "beginning"], "goethectl replay --from beginning -- -dash"),
            (["consume", "-dash", "--consumer", "c"], "goethectl consume --consumer c -- -dash"),
            (["produce", "-dash", "payload"], "goethectl produce -- -dash payload"),
            (["produce", "t", "-payload"], "goethectl produce -- t -payload"),
            (["cursor", "list", "-dash"], "goethectl cursor list -- -dash"),
            (["cursor", "get", "-dash", "c"], "goethectl cursor get -- -dash c"),
            (["cursor", "get", "t", "-consumer"], "goethectl cursor get -- t -consumer"),
            (["cursor", "set", "t", "-c", "beginning"], "goethectl cursor set -- t -c beginning"),
            (["cursor", "delete", "-dash", "c"], "goethectl cursor delete -- -dash c"),
        ]
        for args, suggestion in cases:
            with self.subTest(args=args):
                line = self.fails_before(2, *args)
                self.assertIn("a name starting with '-' must follow --", line)
                self.assertIn(suggestion, line)
        self.assertNotIn("-dash", [row["topic"] for row in parse_json_lines(self.ok_before("topic", "list", "-o", "json"))])

    def test_the_suggestion_works(self):
        line = self.fails_before(2, "topic", "create", "-made-by-suggestion")
        suggestion = line.split(": ", 2)[-1]
        self.assertEqual(suggestion, "goethectl topic create -- -made-by-suggestion")
        self.ok_before(*suggestion.split()[1:])
        (row,) = parse_json_lines(self.ok_before("topic", "describe", "-o", "json", "--", "-made-by-suggestion"))
        self.assertEqual(row["topic"], "-made-by-suggestion")
        self.ok_before("produce", "-o", "json", "--", "-made-by-suggestion", "-a payload with a dash")
        (event,) = parse_json_lines(self.ok_before("replay", "--from", "beginning", "-o", "json", "--", "-made-by-suggestion"))
        self.assertEqual(event["payload"], "-a payload with a dash")

    def test_global_options_before_the_subcommand_stay_options_after_double_dash(self):
        name = "-" + unique("global")
        for args in (["topic", "create", "--", name], ["cursor", "set", "--", name, "-consumer", "beginning"]):
            status, _, err = self.goethectl(args, placement="before")
            self.assertEqual((status, err), (0, ""), args)
        status, out, err = self.goethectl(["-o", "json", "cursor", "get", "--", name, "-consumer"], placement="before")
        self.assertEqual((status, err), (0, ""))
        (cursor,) = parse_json_lines(out)
        self.assertEqual((cursor["topic"], cursor["consumer"]), (name, "-consumer"))

    def test_the_suggestion_keeps_global_options(self):
        line = self.fails_before(2, "--output", "json", "topic", "create", "-dash")
        self.assertIn("goethectl topic create --output json -- -dash", line)

    def test_an_unknown_option_where_no_name_fits_is_one_error_line(self):
        for args in (["topic", "list", "-dash"], ["topic", "list", "-foo"], ["tail", self.topic, "-dash"],
                     ["tail", self.topic, "-foo"]):
            with self.subTest(args=args):
                line = self.fails_before(2, *args)
                self.assertIn(f"unknown option '{args[-1]}'", line)

    def test_short_options_still_combine(self):
        self.ok_before("produce", self.topic, "one")
        self.ok_before("produce", self.topic, "two")
        out = self.ok_before("tail", self.topic, "-n", "1", "-o", "raw")
        self.assertEqual(out, "two\n")
        status, out, err = self.goethectl(["tail", self.topic, "-h"])
        self.assertEqual((status, err), (0, ""))
        self.assertIn("USAGE", out)

    def test_a_session_line_gets_the_same_error(self):
        # In a session, without the goethectl word, and without the options the session adds.
        status, out, err = self.goethectl(["repl"], placement="before", input="topic create -dash\n")
        self.assertEqual((status, out), (2, ""))
        self.assertIn("must follow --: topic create -- -dash", self.assertOneErrorLine(err))


if __name__ == "__main__":
    unittest.main()
