"""goethectl topic create | list | describe | stats."""

import collections
import re
import unittest

from support import (GoetheTestCase, local_time, parse_ids, parse_json_lines, unique, utc_time)

MINUTE = 60 * 1_000_000_000


def columns(line):
    """The cells of a table line: columns are at least two spaces apart."""
    return re.split(r"\s{2,}", line.strip())


class TopicCreateTests(GoetheTestCase):
    def test_create_with_granularity_prints_what_it_made(self):
        name = unique("orders")
        out = self.ok("topic", "create", name, "--index-granularity", "1m")
        self.assertEqual(out, f"created topic {name} (time index per 1m)\n")
        info = self.describe(name)
        self.assertEqual(info["index_granularity"], "1m")
        self.assertEqual(info["events"], 0)

    def test_create_without_granularity_uses_the_server_default_1h(self):
        name = unique("plain")
        self.assertEqual(self.ok("topic", "create", name), f"created topic {name} (time index per 1h)\n")
        self.assertEqual(self.describe(name)["index_granularity"], "1h")

    def test_if_not_exists_leaves_an_existing_topic_as_it_is(self):
        name = unique("once")
        self.ok("topic", "create", name, "--index-granularity", "1m")
        self.produce(name, "kept")
        out = self.ok("topic", "create", name, "--if-not-exists", "--index-granularity", "1d")
        self.assertEqual(out, f"topic {name} exists already (time index per 1m)\n")
        self.assertEqual((self.describe(name)["events"], self.describe(name)["index_granularity"]), (1, "1m"))
        fresh = unique("fresh")
        self.assertEqual(self.ok("topic", "create", fresh, "--if-not-exists"), f"created topic {fresh} (time index per 1h)\n")
        (row,) = parse_json_lines(self.ok("topic", "create", name, "--if-not-exists", "-o", "json"))
        self.assertEqual((row["topic"], row["events"]), (name, 1))

    def test_create_json(self):
        name = unique("json")
        (created,) = parse_json_lines(self.ok("topic", "create", name, "--index-granularity", "15m", "-o", "json"))
        self.assertEqual(created["topic"], name)
        self.assertEqual(created["events"], 0)
        self.assertEqual(created["head_seq"], 0)
        self.assertIsNone(created["first_id"])
        self.assertIsNone(created["last_id"])
        self.assertEqual(created["index_granularity"], "15m")
        self.assertEqual(created["consumers"], [])

    def test_create_rejects_a_bad_granularity_without_creating(self):
        for bad in ("7x", "30s", "2d"):
            with self.subTest(granularity=bad):
                name = unique("bad-granularity")
                line = self.fails(2, "topic", "create", name, "--index-granularity", bad)
                self.assertIn("granularity", line)
                self.fails(3, "topic", "describe", name)

    def test_create_rejects_a_bad_name(self):
        line = self.fails(2, "topic", "create", "bad name!")
        self.assertIn("bad name!", line)


class TopicListDescribeTests(GoetheTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from support import run_ctl
        cls.full = unique("full")
        cls.empty = unique("empty")
        for args in (["topic", "create", cls.full, "--index-granularity", "1m"], ["topic", "create", cls.empty]):
            code, _, err = run_ctl(args, server=cls.server)
            assert code == 0, err
        cls.ids = []
        for payload in ("a", "b", "c"):
            code, out, err = run_ctl(["produce", cls.full, payload], server=cls.server)
            assert code == 0, err
            cls.ids += parse_ids(out)

    def test_list_text_table(self):
        lines = self.ok("topic", "list").splitlines()
        self.assertEqual(columns(lines[0]), ["TOPIC", "EVENTS", "LAST EVENT", "INDEX"])
        rows = {columns(line)[0]: columns(line) for line in lines[1:]}
        self.assertEqual(rows[self.full], [self.full, "3", local_time(self.ids[-1]), "1m"])
        self.assertEqual(rows[self.empty], [self.empty, "0", "-", "1h"])

    def test_no_headers(self):
        with_headers = self.ok("topic", "list").splitlines()
        lines = self.ok("topic", "list", "--no-headers").splitlines()
        self.assertEqual([columns(line) for line in lines], [columns(line) for line in with_headers[1:]])
        self.ok("cursor", "set", self.full, "headless", "beginning")
        rows = [columns(line) for line in self.ok("--no-headers", "cursor", "list").splitlines()]
        self.assertNotIn("TOPIC", [row[0] for row in rows])
        self.assertIn([self.full, "headless", "beginning"], [row[:3] for row in rows])
        code, out, err = self.ctl("repl", "--no-headers", input=f"cursor get {self.full} headless\n")
        self.assertEqual((code, err, len(out.splitlines())), (0, "", 1))

    def test_list_json(self):
        topics = {row["topic"]: row for row in parse_json_lines(self.ok("topic", "list", "-o", "json"))}
        full = topics[self.full]
        self.assertEqual(full["events"], 3)
        self.assertEqual(full["head_seq"], 3)
        self.assertEqual(full["first_id"], str(self.ids[0]))
        self.assertEqual(full["first_time"], utc_time(self.ids[0]))
        self.assertEqual(full["last_id"], str(self.ids[-1]))
        self.assertEqual(full["last_time"], utc_time(self.ids[-1]))
        self.assertEqual(full["index_granularity"], "1m")
        empty = topics[self.empty]
        self.assertEqual((empty["events"], empty["first_id"], empty["first_time"], empty["last_id"]), (0, None, None, None))

    def test_list_raw_prints_names_only(self):
        names = self.ok("topic", "list", "-o", "raw").splitlines()
        self.assertIn(self.full, names)
        self.assertIn(self.empty, names)
        for name in names:
            self.assertRegex(name, r"^[A-Za-z0-9._-]+$")

    def test_describe_text(self):
        consumer = unique("worker")
        self.ok("cursor", "set", self.full, consumer, self.ids[0])
        lines = self.ok("topic", "describe", self.full).splitlines()
        self.assertEqual(lines[:6], [
            f"topic:         {self.full}",
            "events:        3",
            "head sequence: 3",
            f"first event:   {self.ids[0]}  {local_time(self.ids[0])}",
            f"last event:    {self.ids[-1]}  {local_time(self.ids[-1])}",
            "time index:    per 1m",
        ])
        self.assertRegex(lines[6], r"^created:       \d{4}-\d\d-\d\dT")
        table = lines[lines.index("") + 1:]
        self.assertEqual(columns(table[0]), ["CONSUMER", "EVENT", "SEQ", "LAG", "UPDATED"])
        rows = {columns(line)[0]: columns(line) for line in table[1:]}
        self.assertEqual(rows[consumer][:4], [consumer, str(self.ids[0]), "1", "2"])

    def test_describe_empty_topic(self):
        lines = self.ok("topic", "describe", self.empty).splitlines()
        self.assertIn("events:        0", lines)
        self.assertIn("first event:   -", lines)
        self.assertIn("last event:    -", lines)
        self.assertEqual(lines[-1], "consumers:     none")

    def test_describe_json(self):
        consumer = unique("lagging")
        self.ok("cursor", "set", self.full, consumer, self.ids[1])
        info = self.describe(self.full)
        self.assertEqual(info["topic"], self.full)
        self.assertEqual(info["events"], 3)
        self.assertEqual(info["head_seq"], 3)
        self.assertEqual(info["first_id"], str(self.ids[0]))
        self.assertEqual(info["last_id"], str(self.ids[-1]))
        self.assertEqual(info["index_granularity"], "1m")
        cursors = {c["consumer"]: c for c in info["consumers"]}
        self.assertEqual(cursors[consumer]["id"], str(self.ids[1]))
        self.assertEqual(cursors[consumer]["seq"], 2)
        self.assertEqual(cursors[consumer]["lag"], 1)

    def test_describe_unknown_topic(self):
        line = self.fails(3, "topic", "describe", unique("missing"))
        self.assertIn("does not exist", line)


class TopicStatsTests(GoetheTestCase):
    def setUp(self):
        self.topic = self.create_topic("stats", granularity="1m")
        self.ids = self.produce(self.topic, "one", "two", "three", "four")
        buckets = collections.defaultdict(list)
        for event_id in self.ids:
            buckets[event_id // MINUTE * MINUTE].append(event_id)
        self.expected = dict(sorted(buckets.items()))

    def test_stats_text_is_a_bar_chart_row_per_bucket(self):
        lines = self.ok("topic", "stats", self.topic).splitlines()
        rows = []
        for line in lines:
            match = re.fullmatch(r"(\S+)  +(\d+)  (█+)", line)
            self.assertIsNotNone(match, f"not a bar chart row: {line!r}")
            rows.append((match.group(1), int(match.group(2)), len(match.group(3))))
        self.assertEqual([(time, count) for time, count, _ in rows],
                         [(local_time(start), len(ids)) for start, ids in self.expected.items()])
        longest = max(count for _, count, _ in rows)
        for _, count, bar in rows:
            if count == longest:
                self.assertEqual(bar, max(b for _, _, b in rows))

    def test_stats_json(self):
        rows = parse_json_lines(self.ok("topic", "stats", self.topic, "-o", "json"))
        self.assertEqual(
            [(row["topic"], row["start"], row["count"], row["last_id"]) for row in rows],
            [(self.topic, utc_time(start), len(ids), str(max(ids))) for start, ids in self.expected.items()])

    def test_stats_of_an_empty_range_says_so(self):
        code, out, err = self.ctl("topic", "stats", self.topic, "--from", "2100-01-01")
        self.assertEqual((code, out), (0, ""))
        self.assertIn("no events in that range", self.assertOneErrorLine(err))
        self.assertEqual(self.ok("topic", "stats", self.topic, "--from", "2100-01-01", "-o", "json"), "")

    def test_stats_range_covering_the_events(self):
        rows = parse_json_lines(self.ok("topic", "stats", self.topic, "--from", "15m ago", "--to", "now", "-o", "json"))
        self.assertEqual(sum(row["count"] for row in rows), 4)

    def test_stats_rejects_to_before_from(self):
        line = self.fails(2, "topic", "stats", self.topic, "--from", "now", "--to", "1h ago")
        self.assertIn("--to is before --from", line)

    def test_stats_rejects_a_position_that_is_not_a_time(self):
        line = self.fails(2, "topic", "stats", self.topic, "--from", "beginning")
        self.assertIn("not a time", line)


if __name__ == "__main__":
    unittest.main()
