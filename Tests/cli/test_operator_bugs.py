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


if __name__ == "__main__":
    unittest.main()
