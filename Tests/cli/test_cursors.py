"""goethectl cursor list | get | set | delete."""

import datetime
import unittest

from support import (GoetheTestCase, LOCAL_TZ, epoch_position, parse_json_lines, parse_text_events, unique)


class CursorTests(GoetheTestCase):
    def setUp(self):
        self.topic = self.create_topic("cursors")
        self.ids = self.produce(self.topic, "e0", "e1", "e2", "e3")
        self.consumer = unique("c")

    def set_cursor(self, position, consumer=None):
        (cursor,) = parse_json_lines(
            self.ok("cursor", "set", self.topic, consumer or self.consumer, str(position), "-o", "json"))
        return cursor

    def consumed(self, consumer=None):
        """What the consumer reads next (consume without -f)."""
        out = self.ok("consume", self.topic, "--consumer", consumer or self.consumer)
        return [event_id for _, event_id, _ in parse_text_events(out)]

    def test_list_all_and_by_topic(self):
        other_topic = self.create_topic("other")
        self.produce(other_topic, "x")
        self.set_cursor(self.ids[1], "alpha")
        self.set_cursor("end", "beta")
        self.ok("cursor", "set", other_topic, "gamma", "beginning")

        every = {(c["topic"], c["consumer"]): c for c in parse_json_lines(self.ok("cursor", "list", "-o", "json"))}
        self.assertEqual(every[(self.topic, "alpha")]["id"], str(self.ids[1]))
        self.assertEqual(every[(self.topic, "beta")]["id"], str(self.ids[3]))
        self.assertIn((other_topic, "gamma"), every)

        mine = parse_json_lines(self.ok("cursor", "list", self.topic, "-o", "json"))
        self.assertEqual(sorted((c["topic"], c["consumer"], c["id"], c["seq"], c["lag"]) for c in mine), [
            (self.topic, "alpha", str(self.ids[1]), 2, 2),
            (self.topic, "beta", str(self.ids[3]), 4, 0),
        ])

        lines = self.ok("cursor", "list", self.topic).splitlines()
        self.assertEqual(lines[0].split(), ["TOPIC", "CONSUMER", "EVENT", "SEQ", "LAG", "UPDATED"])
        self.assertEqual(sorted(line.split()[:5] for line in lines[1:]), [
            [self.topic, "alpha", str(self.ids[1]), "2", "2"],
            [self.topic, "beta", str(self.ids[3]), "4", "0"],
        ])

        raw = self.ok("cursor", "list", self.topic, "-o", "raw").splitlines()
        self.assertEqual(sorted(raw), [f"{self.topic} alpha {self.ids[1]}", f"{self.topic} beta {self.ids[3]}"])

    def test_list_of_a_topic_without_cursors(self):
        topic = self.create_topic("lonely")
        self.assertEqual(self.ok("cursor", "list", topic, "-o", "json"), "")

    def test_get(self):
        self.set_cursor(self.ids[2])
        (cursor,) = parse_json_lines(self.ok("cursor", "get", self.topic, self.consumer, "-o", "json"))
        self.assertEqual(list(cursor), ["topic", "consumer", "id", "seq", "lag", "updated"])
        self.assertEqual((cursor["id"], cursor["seq"], cursor["lag"]), (str(self.ids[2]), 3, 1))
        self.assertEqual(self.ok("cursor", "get", self.topic, self.consumer, "-o", "raw"),
                         f"{self.topic} {self.consumer} {self.ids[2]}\n")

    def test_set_beginning(self):
        self.set_cursor(self.ids[3])
        self.assertEqual(self.ok("cursor", "set", self.topic, self.consumer, "beginning"),
                         f"{self.consumer} on {self.topic}: seq 4 → 0\n")
        self.assertEqual(self.consumed(), self.ids)

    def test_set_end(self):
        cursor = self.set_cursor("end")
        self.assertEqual((cursor["id"], cursor["seq"], cursor["lag"]), (str(self.ids[3]), 4, 0))
        self.assertEqual(self.consumed(), [])
        (new,) = self.produce(self.topic, "e4")
        self.assertEqual(self.consumed(), [new])

    def test_set_an_event_id_marks_it_processed(self):
        cursor = self.set_cursor(self.ids[1])
        self.assertEqual((cursor["id"], cursor["seq"], cursor["lag"]), (str(self.ids[1]), 2, 2))
        self.assertEqual(self.consumed(), self.ids[2:])

    def test_set_a_missing_id_picks_the_nearest_following_event(self):
        # As `cursor set --help` documents: an id that names no event picks the nearest following
        # one, which is then marked as processed (so ids[2] is skipped).
        cursor = self.set_cursor(self.ids[1] + 1)
        self.assertEqual((cursor["id"], cursor["seq"]), (str(self.ids[2]), 3))
        self.assertEqual(self.consumed(), self.ids[3:])

    def test_set_a_time_resumes_at_the_first_event_at_or_after_it(self):
        self.set_cursor(epoch_position(self.ids[2]))
        self.assertEqual(self.consumed(), self.ids[2:])
        self.set_cursor(epoch_position(self.ids[2] + 1))
        self.assertEqual(self.consumed(), self.ids[3:])
        self.set_cursor("15m ago")
        self.assertEqual(self.consumed(), self.ids)
        today = datetime.datetime.now(LOCAL_TZ).date().isoformat()
        self.set_cursor(today)
        self.assertEqual(self.consumed(), self.ids)

    def test_set_a_bad_position_is_a_usage_error(self):
        line = self.fails(2, "cursor", "set", self.topic, self.consumer, "next tuesday")
        self.assertIn("next tuesday", line)
        self.assertIn("15m ago", line)
        self.fails(3, "cursor", "get", self.topic, self.consumer)

    def test_set_on_an_unknown_topic(self):
        self.fails(3, "cursor", "set", unique("nope"), self.consumer, "beginning")

    def test_delete(self):
        self.set_cursor(self.ids[2])
        self.assertEqual(self.ok("cursor", "delete", self.topic, self.consumer),
                         f"{self.consumer} on {self.topic}: seq 3 → deleted\n")
        line = self.fails(3, "cursor", "get", self.topic, self.consumer)
        self.assertIn(self.consumer, line)
        self.assertEqual(self.ok("cursor", "list", self.topic, "-o", "json"), "")
        # Without a cursor the consumer starts from the beginning.
        self.assertEqual(self.consumed(), self.ids)

    def test_set_prints_the_move_from_none(self):
        self.assertEqual(self.ok("cursor", "set", self.topic, self.consumer, str(self.ids[1])),
                         f"{self.consumer} on {self.topic}: none → 2\n")
        (row,) = parse_json_lines(self.ok("cursor", "set", self.topic, self.consumer, "end", "-o", "json"))
        self.assertEqual((row["id"], row["seq"], row["from_seq"]), (str(self.ids[3]), 4, 2))

    def test_dry_run_shows_the_move_and_changes_nothing(self):
        self.set_cursor(self.ids[2])
        middle = (self.ids[1] + self.ids[2]) // 2
        cases = [("beginning", 0), ("end", 4), (str(self.ids[1]), 2), (str(self.ids[1] + 1), 3),
                 (epoch_position(middle), 2), (epoch_position(self.ids[2]), 2), ("now", 4), ("@1", 0)]
        for position, expected in cases:
            with self.subTest(position=position):
                out = self.ok("cursor", "set", self.topic, self.consumer, position, "--dry-run")
                self.assertEqual(out, f"{self.consumer} on {self.topic}: seq 3 → {expected} (dry run: nothing changed)\n")
                # What the dry run says is what the move does.
                other = unique("twin")
                self.assertEqual(self.set_cursor(position, other)["seq"], expected)
        (row,) = parse_json_lines(self.ok("cursor", "set", self.topic, self.consumer, "beginning", "--dry-run", "-o", "json"))
        self.assertEqual(row, {"topic": self.topic, "consumer": self.consumer, "from_seq": 3, "seq": 0, "dry_run": True})
        (row,) = parse_json_lines(self.ok("cursor", "get", self.topic, self.consumer, "-o", "json"))
        self.assertEqual(row["seq"], 3, "unchanged by the dry runs")

    def test_delete_dry_run_and_ignore_not_found(self):
        self.set_cursor(self.ids[0])
        self.assertEqual(self.ok("cursor", "delete", self.topic, self.consumer, "--dry-run"),
                         f"{self.consumer} on {self.topic}: seq 1 → deleted (dry run: nothing changed)\n")
        self.assertEqual(self.consumed(), self.ids[1:])
        self.fails(3, "cursor", "delete", self.topic, unique("ghost"), "--dry-run")
        for topic in (self.topic, unique("nope")):
            code, out, err = self.ctl("cursor", "delete", topic, unique("ghost"), "--ignore-not-found")
            self.assertEqual((code, out, err), (0, "", ""))

    def test_delete_an_unknown_cursor(self):
        line = self.fails(3, "cursor", "delete", self.topic, unique("ghost"))
        self.assertIn("no cursor", line)

    def test_get_an_unknown_cursor(self):
        line = self.fails(3, "cursor", "get", self.topic, unique("ghost"))
        self.assertIn("no cursor", line)


if __name__ == "__main__":
    unittest.main()
