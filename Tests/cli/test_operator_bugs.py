"""What an operator meets at the edges: consumers in topic listings, reading none of a topic
(`tail -n 0`, `--limit 0`), ranges that end before they start, and conflicting produce flags."""

import time
import unittest

from support import GoetheTestCase, parse_json_lines, parse_text_events, run_ctl, unique


class TopicListConsumerTests(GoetheTestCase):
    def test_list_json_names_the_consumers_describe_shows(self):
        topic = self.create_topic("listed")
        other = self.create_topic("listed-alone")
        self.produce(topic, "a", "b", "c")
        self.ok("cursor", "set", topic, "first", "beginning")
        self.ok("consume", topic, "--consumer", "second", "--limit", "2")
        described = self.describe(topic)
        self.assertEqual(len(described["consumers"]), 2)
        listed = {entry["topic"]: entry for entry in parse_json_lines(self.ok("topic", "list", "-o", "json"))}
        self.assertEqual(listed[topic]["consumers"], described["consumers"])
        self.assertEqual(listed[other]["consumers"], [])


class NoneOfATopicTests(GoetheTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = unique("sixteen")
        code, _, err = run_ctl(["topic", "create", cls.topic], server=cls.server)
        assert code == 0, err
        for number in range(16):
            code, _, err = run_ctl(["produce", cls.topic, f"event {number}"], server=cls.server)
            assert code == 0, err

    def test_tail_n_0_prints_nothing_and_says_nothing(self):
        code, out, err = self.ctl("tail", self.topic, "-n", "0")
        self.assertEqual((code, out, err), (0, "", ""))

    def test_tail_n_0_follow_prints_only_new_events(self):
        stream = self.streaming("tail", self.topic, "-n", "0", "-f")
        try:
            time.sleep(1.0)  # no note says when the stream has started; give it a second
            self.assertTrue(stream.no_more_output())
            self.produce(self.topic, "after")
            line = stream.read_line()
            self.assertEqual(parse_text_events(line + "\n")[0][2], "after")
        finally:
            stream.interrupt()
            stream.wait()
        self.assertNotIn("no events", stream.stderr())

    def test_tail_of_an_empty_topic_still_says_so(self):
        empty = self.create_topic("empty")
        code, out, err = self.ctl("tail", empty)
        self.assertEqual((code, out), (0, ""))
        self.assertIn("has no events yet", err)

    def test_limit_0_prints_none_like_tail_n_0(self):
        self.assertEqual(self.ok("replay", self.topic, "--from", "beginning", "--limit", "0"), "")
        self.assertEqual(self.ok("replay", self.topic, "--from", "beginning", "--limit", "0", "-f"), "")
        self.assertEqual(self.ok("consume", self.topic, "--consumer", "nothing-read", "--limit", "0"), "")
        self.fails(3, "cursor", "get", self.topic, "nothing-read")
        self.assertEqual(len(self.replay_ids(self.topic, "--limit", "1")), 1)

    def test_limit_0_still_checks_the_topic(self):
        self.fails(3, "replay", unique("missing"), "--from", "beginning", "--limit", "0")


class BackwardRangeTests(GoetheTestCase):
    def test_to_before_from_is_a_usage_error(self):
        topic = self.create_topic("backward")
        first, second = self.produce(topic, "one", "two")
        for args in (["--from", str(second), "--to", str(first)],
                     ["--from", "2020-01-02T00:00:00Z", "--to", "2020-01-01T00:00:00Z"],
                     ["--from", "1h ago", "--to", "2h ago"],
                     ["--from", str(second), "--to", "2000-01-01T00:00:00Z"]):
            with self.subTest(args=args):
                line = self.fails(2, "replay", topic, *args)
                self.assertIn("--to", line)
                self.assertIn("--from", line)

    def test_forward_and_equal_ranges_still_read(self):
        topic = self.create_topic("forward")
        first, second = self.produce(topic, "one", "two")
        self.assertEqual(self.replay_ids(topic, "--to", str(second), start=str(first)), [first, second])
        self.assertEqual(self.replay_ids(topic, "--to", str(first), start=str(first)), [first])


class ProduceConflictTests(GoetheTestCase):
    def test_lines_and_whole_with_a_payload_name_the_real_conflict(self):
        topic = self.create_topic("conflict")
        line = self.fails(2, "produce", topic, "x", "--lines", "--whole")
        self.assertIn("--whole", line)
        self.assertIn("--lines", line)
        self.assertNotIn("not both", line)

    def test_a_payload_with_a_reading_flag_names_that_flag(self):
        topic = self.create_topic("conflict")
        for flag in (["--lines"], ["--whole"], ["--file", "/dev/null"]):
            with self.subTest(flag=flag):
                line = self.fails(2, "produce", topic, "x", *flag)
                self.assertIn(flag[0], line)


if __name__ == "__main__":
    unittest.main()
