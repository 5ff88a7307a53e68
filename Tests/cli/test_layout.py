"""--template (a line per event by placeholders, as kcat -f) and -D/--delimiter (what ends each
event in raw and template output, as kcat -D)."""

import unittest

from support import GoetheTestCase, local_time, parse_ids, run_ctl, unique, utc_time


class EventLayoutTests(GoetheTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = unique("layout")
        code, out, err = run_ctl(["produce", cls.topic, "--whole"], server=cls.server, input="two\nlines")
        assert code == 0, err
        code, out2, err = run_ctl(["produce", cls.topic, "plain"], server=cls.server)
        assert code == 0, err
        cls.ids = parse_ids(out) + parse_ids(out2)

    def test_template_fields_and_escapes(self):
        out = self.ok("replay", self.topic, "--from", "beginning", "--template", r"{seq}\t{id}\t{topic}\t{payload}")
        self.assertEqual(out, f"1\t{self.ids[0]}\t{self.topic}\ttwo\\nlines\n2\t{self.ids[1]}\t{self.topic}\tplain\n")

    def test_template_time_follows_utc(self):
        self.assertEqual(self.ok("tail", self.topic, "-n", "1", "--template", "{time}"), local_time(self.ids[1]) + "\n")
        self.assertEqual(self.ok("tail", self.topic, "-n", "1", "--template", "{time}", "--utc"),
                         utc_time(self.ids[1]) + "\n")

    def test_raw_with_a_delimiter_keeps_a_multi_line_payload_whole(self):
        code, out, err = self.ctl("replay", self.topic, "--from", "beginning", "-o", "raw", "-D", r"\0", binary=True)
        self.assertEqual((code, err), (0, b""))
        self.assertEqual(out.split(b"\0"), [b"two\nlines", b"plain", b""])
        out = self.ok("consume", self.topic, "--consumer", "c", "--template", "{payload}", "--delimiter", r"\n--\n")
        self.assertEqual(out, "two\\nlines\n--\nplain\n--\n")

    def test_bad_combinations_are_usage_errors_and_read_nothing(self):
        for args in (["--template", "{nope}"], ["--template", "{id", "-f"], ["--template", "{id}", "-o", "json"],
                     ["-D", ",", "-o", "json"], ["-D", ","]):
            with self.subTest(args=args):
                self.fails(2, "consume", self.topic, "--consumer", "untouched", *args)
        self.fails(3, "cursor", "get", self.topic, "untouched")


if __name__ == "__main__":
    unittest.main()
