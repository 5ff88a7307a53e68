"""Times outside what an event id (UNIX nanoseconds in 64 bits) can hold are refused in every form
and wherever a time is read, with one error line naming the range and exit status 2; the first and
the last time of the range are accepted. Durations (--timeout) are range-checked the same way."""

import unittest

from support import GoetheTestCase, parse_json_lines, run_ctl, unique

FIRST = "1970-01-01T00:00:00Z"
LAST = "2554-07-21T23:34:33.709551615Z"

# Every form of time, each a little past either end of the range.
OUT_OF_RANGE = [
    "@20000000000",                        # epoch seconds past 2^64 ns, which used to wrap around
    "@18446744074",
    "@18446744073.709551616",              # one nanosecond past the last
    "@" + "9" * 400,
    "2554-07-23",                          # a local date, out of range in every zone
    "2554-07-23 00:00",                    # a local date and time
    "2600-01-01T00:00:00Z",                # RFC 3339
    "2554-07-21T23:34:33.709551616Z",
    "2554-07-22T00:35:00+01:00",
    "1969-12-31T23:59:59.999999999Z",      # before the epoch
    "1900-01-01",
    "0000-01-01 00:00:00",
    "1000000d ago",                        # relative, before the epoch
    "99999999999999999999 weeks ago",
    "9" * 400 + "s ago",
]


class TimeRangeTests(GoetheTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = unique("ranges")
        for args in (["topic", "create", cls.topic], ["produce", cls.topic, "one"], ["produce", cls.topic, "two"]):
            code, _, err = run_ctl(args, server=cls.server)
            assert code == 0, err

    def assertRangeError(self, args, text):
        line = self.fails(2, *args)
        self.assertIn(FIRST, line)
        self.assertIn(LAST, line)
        self.assertIn("out of range", line)
        self.assertIn(text if len(text) <= 40 else text[:40], line)

    def test_every_form_past_either_end_is_refused_everywhere(self):
        for text in OUT_OF_RANGE:
            for args in (["replay", self.topic, "--from", text], ["replay", self.topic, "--from", "beginning", "--to", text],
                         ["consume", self.topic, "--consumer", "c", "--from", text],
                         ["cursor", "set", self.topic, "c", text], ["topic", "stats", self.topic, "--from", text],
                         ["topic", "stats", self.topic, "--to", text]):
                with self.subTest(args=args):
                    self.assertRangeError(args, text)

    def test_nothing_moved_or_printed(self):
        self.fails(2, "cursor", "set", self.topic, "range-checked", "@20000000000")
        self.fails(3, "cursor", "get", self.topic, "range-checked")

    def test_the_ends_of_the_range_are_accepted(self):
        events = parse_json_lines(self.ok("replay", self.topic, "--from", FIRST, "-o", "json"))
        self.assertEqual([event["payload"] for event in events], ["one", "two"])
        self.assertEqual(self.ok("replay", self.topic, "--from", LAST), "")
        self.assertEqual(self.ok("replay", self.topic, "--from", "@18446744073.709551615"), "")
        events = parse_json_lines(self.ok("replay", self.topic, "--from", "@0", "--to", LAST, "-o", "json"))
        self.assertEqual(len(events), 2)

    def test_durations_out_of_range(self):
        for text in ("1e300s", "infs", "25h", "0.1ms", "0s", "-5s", "9" * 400 + "ms"):
            with self.subTest(timeout=text):
                line = self.fails(2, "topic", "list", f"--timeout={text}")
                self.assertIn("1ms to 24h", line)

    def test_durations_at_the_ends_of_the_range(self):
        self.ok("topic", "list", "--timeout", "24h")
        # A millisecond may be too short for the request, but it is a valid deadline.
        code, _, err = self.ctl("topic", "list", "--timeout", "1ms")
        self.assertNotEqual(code, 2, err)


if __name__ == "__main__":
    unittest.main()
