"""goethectl consume: named consumers resume after their committed cursor."""

import unittest

from support import GoetheTestCase, local_time, parse_ids, parse_json_lines, parse_text_events, unique, utc_time


class ConsumeTests(GoetheTestCase):
    def setUp(self):
        self.topic = self.create_topic("consume")
        self.ids = parse_ids(self.ok("produce", self.topic, input="e0\ne1\ne2\ne3\ne4\n"))
        self.assertEqual(len(self.ids), 5)
        self.consumer = unique("worker")

    def consume(self, *args, consumer=None):
        """Runs consume without -f; returns the ids printed (text output)."""
        code, out, err = self.ctl("consume", self.topic, "--consumer", consumer or self.consumer, *args)
        self.assertEqual(code, 0, err)
        self.assertNotCrashed(err)
        events = parse_text_events(out)
        for event_time, event_id, payload in events:
            self.assertEqual((event_time, payload), (local_time(event_id), f"e{self.ids.index(event_id)}"))
        return [event_id for _, event_id, _ in events]

    def cursor(self, consumer=None):
        (cursor,) = parse_json_lines(self.ok("cursor", "get", self.topic, consumer or self.consumer, "-o", "json"))
        return cursor

    def test_limit_then_resume_after_the_last_printed_event(self):
        self.assertEqual(self.consume("--limit", "2"), self.ids[:2])
        cursor = self.cursor()
        self.assertEqual((cursor["topic"], cursor["consumer"]), (self.topic, self.consumer))
        self.assertEqual((cursor["id"], cursor["seq"], cursor["lag"]), (str(self.ids[1]), 2, 3))

        self.assertEqual(self.consume(), self.ids[2:])
        cursor = self.cursor()
        self.assertEqual((cursor["id"], cursor["seq"], cursor["lag"]), (str(self.ids[4]), 5, 0))

        # Caught up: nothing more, still success.
        self.assertEqual(self.consume(), [])
        (new,) = self.produce(self.topic, "e5")
        self.ids.append(new)
        self.assertEqual(self.consume(), [new])

    def test_cursor_get_text_shows_the_last_printed_id(self):
        self.consume("--limit", "3")
        lines = self.ok("cursor", "get", self.topic, self.consumer).splitlines()
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines[0].split(), ["TOPIC", "CONSUMER", "EVENT", "SEQ", "LAG", "UPDATED"])
        self.assertEqual(lines[1].split()[:5], [self.topic, self.consumer, str(self.ids[2]), "3", "2"])

    def test_consumers_are_independent(self):
        other = unique("other")
        self.assertEqual(self.consume("--limit", "1"), self.ids[:1])
        self.assertEqual(self.consume("--limit", "3", consumer=other), self.ids[:3])
        self.assertEqual(self.consume("--limit", "1"), self.ids[1:2])
        self.assertEqual(self.consume(consumer=other), self.ids[3:])
        self.assertEqual(self.cursor()["id"], str(self.ids[1]))
        self.assertEqual(self.cursor(other)["id"], str(self.ids[4]))

    def test_from_overrides_the_stored_cursor_and_commits(self):
        self.consume("--limit", "1")
        self.assertEqual(self.consume("--from", str(self.ids[3])), self.ids[3:])
        self.assertEqual(self.cursor()["id"], str(self.ids[4]))
        self.assertEqual(self.consume("--from", "beginning", "--limit", "2"), self.ids[:2])
        self.assertEqual(self.cursor()["id"], str(self.ids[1]))

    def test_json_output(self):
        rows = parse_json_lines(self.ok("consume", self.topic, "--consumer", self.consumer, "--limit", "2", "-o", "json"))
        self.assertEqual(rows, [
            {"topic": self.topic, "id": str(event_id), "seq": index + 1, "time": utc_time(event_id),
             "payload": f"e{index}", "encoding": "utf8"}
            for index, event_id in enumerate(self.ids[:2])])

    def test_ctrl_c_during_follow_commits_the_last_printed_event(self):
        consumer = self.streaming("consume", self.topic, "--consumer", self.consumer, "-f")
        self.assertEqual([parse_text_events(line)[0][1] for line in consumer.read_lines(5)], self.ids)
        (new,) = self.produce(self.topic, "e5")
        self.ids.append(new)
        self.assertEqual(parse_text_events(consumer.read_line())[0][1:], (new, "e5"))
        consumer.interrupt()
        self.assertEqual(consumer.wait(), 130, consumer.stderr())
        self.assertNotCrashed(consumer.stderr())
        for line in consumer.stderr_lines:
            self.assertTrue(line.startswith("goethectl: "), consumer.stderr())
        cursor = self.cursor()
        self.assertEqual((cursor["id"], cursor["seq"], cursor["lag"]), (str(new), 6, 0))
        # The next run resumes after it.
        (later,) = self.produce(self.topic, "e6")
        self.ids.append(later)
        self.assertEqual(self.consume(), [later])

    def test_ctrl_c_after_a_limited_start(self):
        self.consume("--limit", "2")
        consumer = self.streaming("consume", self.topic, "--consumer", self.consumer, "-f")
        self.assertEqual([parse_text_events(line)[0][1] for line in consumer.read_lines(3)], self.ids[2:])
        consumer.interrupt()
        self.assertEqual(consumer.wait(), 130, consumer.stderr())
        self.assertEqual(self.cursor()["id"], str(self.ids[4]))

    def test_consume_unknown_topic(self):
        self.fails(3, "consume", unique("nope"), "--consumer", self.consumer)

    def test_consume_needs_a_consumer(self):
        line = self.fails(2, "consume", self.topic)
        self.assertIn("--consumer", line)


if __name__ == "__main__":
    unittest.main()
