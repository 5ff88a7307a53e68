"""goethectl produce: an argument, stdin lines, --whole, --file, --expect-seq, streaming stdin."""

import os
import shutil
import tempfile
import time
import unittest

from pathlib import Path

from support import Daemon, GoetheTestCase, Streaming, parse_ids, parse_json_lines, utc_time


class ProduceTests(GoetheTestCase):
    def setUp(self):
        self.topic = self.create_topic("produce")

    def write_file(self, data):
        handle, path = tempfile.mkstemp(prefix="goethectl-produce-", dir=self.tmp)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        return path

    def payloads(self):
        return [event["payload"] for event in self.replay_json(self.topic)]

    # -- one event from the argument -----------------------------------------------------------

    def test_payload_argument_prints_one_id(self):
        before = time.time_ns()
        (event_id,) = parse_ids(self.ok("produce", self.topic, "hello world"))
        after = time.time_ns()
        # An id is the commit time in UNIX nanoseconds.
        self.assertLessEqual(abs(event_id - (before + after) // 2), 60 * 1_000_000_000)
        self.assertEqual(self.replay_json(self.topic), [
            {"topic": self.topic, "id": str(event_id), "seq": 1, "time": utc_time(event_id), "payload": "hello world",
             "encoding": "utf8"},
        ])

    def test_json_acknowledgement(self):
        first = parse_json_lines(self.ok("produce", self.topic, "one", "-o", "json"))
        second = parse_json_lines(self.ok("produce", self.topic, "two", "-o", "json"))
        self.assertEqual([list(row) for row in first + second], [["topic", "id", "seq", "time"]] * 2)
        self.assertEqual([(row["topic"], row["seq"]) for row in first + second], [(self.topic, 1), (self.topic, 2)])
        replayed = self.replay_json(self.topic)
        self.assertEqual([(row["id"], row["time"]) for row in first + second], [(e["id"], e["time"]) for e in replayed])
        self.assertEqual(first[0]["time"], utc_time(int(first[0]["id"])))

    # -- stdin and files ----------------------------------------------------------------------

    def test_stdin_one_event_per_line_skipping_blank_lines(self):
        ids = parse_ids(self.ok("produce", self.topic, input="one\n\ntwo\r\n\n\nthree"))
        self.assertEqual(len(ids), 3)
        self.assertEqual(ids, sorted(set(ids)))
        events = self.replay_json(self.topic)
        self.assertEqual([(int(e["id"]), e["payload"]) for e in events], list(zip(ids, ["one", "two", "three"])))

    def test_stdin_with_explicit_lines_flag(self):
        ids = parse_ids(self.ok("produce", self.topic, "--lines", input="x\ny\n"))
        self.assertEqual(len(ids), 2)
        self.assertEqual(self.payloads(), ["x", "y"])

    def test_whole_input_is_one_event(self):
        text = "line one\n\nline three\n"
        (event_id,) = parse_ids(self.ok("produce", self.topic, "--whole", input=text))
        (event,) = self.replay_json(self.topic)
        self.assertEqual((event["id"], event["payload"]), (str(event_id), text))

    def test_whole_refuses_empty_input(self):
        line = self.fails(2, "produce", self.topic, "--whole", input=b"")
        self.assertIn("empty", line)
        self.assertEqual(self.describe(self.topic)["events"], 0)

    def test_file_one_event_per_line(self):
        path = self.write_file(b"a\nb\n\nc\n")
        ids = parse_ids(self.ok("produce", self.topic, "--file", path))
        self.assertEqual(len(ids), 3)
        self.assertEqual(self.payloads(), ["a", "b", "c"])
        self.assertEqual(self.replay_ids(self.topic), ids)

    def test_file_whole(self):
        path = self.write_file(b"a\nb\n\nc\n")
        (event_id,) = parse_ids(self.ok("produce", self.topic, "--file", path, "--whole"))
        self.assertEqual(self.payloads(), ["a\nb\n\nc\n"])
        self.assertEqual(self.replay_ids(self.topic), [event_id])

    def test_file_dash_is_stdin(self):
        self.assertEqual(len(parse_ids(self.ok("produce", self.topic, "--file", "-", input="a\nb\n"))), 2)
        self.assertEqual(len(parse_ids(self.ok("produce", self.topic, "--file", "-", "--whole", input="c\nd\n"))), 1)
        self.assertEqual(self.payloads(), ["a", "b", "c\nd\n"])

    def test_unreadable_file_is_a_usage_error(self):
        path = os.path.join(self.tmp, "does-not-exist.txt")
        line = self.fails(2, "produce", self.topic, "--file", path)
        self.assertIn(path, line)

    def test_payload_and_file_exclude_each_other(self):
        path = self.write_file(b"a\n")
        self.fails(2, "produce", self.topic, "payload", "--file", path)
        self.fails(2, "produce", self.topic, "--whole", "--lines", input="a\n")
        self.assertEqual(self.describe(self.topic)["events"], 0)

    def test_oversized_event_is_refused_by_the_server(self):
        path = self.write_file(b"x" * (2 << 20))
        line = self.fails(1, "produce", self.topic, "--file", path, "--whole")
        self.assertIn("limit", line)
        self.assertEqual(self.describe(self.topic)["events"], 0)

    def test_an_oversized_line_names_its_line_and_what_was_stored(self):
        # Line 3 is blank: line numbers count every line of the file, as an editor shows them.
        big = b"x" * 1_100_000
        path = self.write_file(b"first\nsecond\n\n" + big + b"\nfifth\n")
        code, out, err = self.ctl("produce", self.topic, "--file", path)
        self.assertEqual(code, 1, err)
        line = self.assertOneErrorLine(err)
        self.assertIn(f"line 4 of {path}", line)
        self.assertIn("1100000 bytes", line)
        self.assertIn("stored lines 1 to 2 (2 events)", line)
        self.assertIn("nothing from line 4 on", line)
        self.assertEqual(len(parse_ids(out)), 2)
        self.assertEqual(self.payloads(), ["first", "second"])

    def test_an_oversized_first_line_stores_nothing(self):
        code, out, err = self.ctl("produce", self.topic, input=b"y" * 1_100_000 + b"\nafter\n")
        self.assertEqual((code, out), (1, ""))
        line = self.assertOneErrorLine(err)
        self.assertIn("line 1 of stdin", line)
        self.assertIn("nothing was stored", line)
        self.assertEqual(self.describe(self.topic)["events"], 0)

    # -- optimistic concurrency ---------------------------------------------------------------

    def test_expect_seq_with_the_right_value_appends(self):
        self.ok("produce", self.topic, "first", "--expect-seq", "0")
        self.ok("produce", self.topic, "second", "--expect-seq", "1")
        self.assertEqual(self.describe(self.topic)["head_seq"], 2)
        self.assertEqual(self.payloads(), ["first", "second"])

    def test_expect_seq_with_a_wrong_value_fails_and_writes_nothing(self):
        self.produce(self.topic, "first", "second")
        line = self.fails(1, "produce", self.topic, "third", "--expect-seq", "5")
        self.assertIn("sequence 2", line)
        self.assertIn("5", line)
        self.assertEqual(self.describe(self.topic)["head_seq"], 2)
        self.assertEqual(self.payloads(), ["first", "second"])

    def test_expect_seq_on_stdin_lines(self):
        self.produce(self.topic, "first")
        self.fails(1, "produce", self.topic, "--expect-seq", "0", input="x\ny\n")
        self.assertEqual(self.payloads(), ["first"])
        ids = parse_ids(self.ok("produce", self.topic, "--expect-seq", "1", input="x\ny\nz\n"))
        self.assertEqual(len(ids), 3)
        self.assertEqual(self.payloads(), ["first", "x", "y", "z"])

    # -- streaming stdin ----------------------------------------------------------------------

    def test_stdin_lines_are_acknowledged_as_they_arrive(self):
        producer = self.streaming("produce", self.topic, stdin=True)
        producer.write("first\n")
        first = int(producer.read_line(timeout=10))  # before stdin is closed
        producer.write("second\n")
        second = int(producer.read_line(timeout=10))
        producer.close_stdin()
        self.assertEqual(producer.wait(), 0, producer.stderr())
        self.assertEqual(producer.stderr(), "")
        self.assertTrue(producer.no_more_output())
        self.assertLess(first, second)
        events = self.replay_json(self.topic)
        self.assertEqual([(int(e["id"]), e["payload"]) for e in events], [(first, "first"), (second, "second")])


class ProduceCutOffTests(unittest.TestCase):
    def test_a_server_lost_part_way_is_reported_with_the_lines_stored_before(self):
        tmp = tempfile.mkdtemp(prefix="goethectl-cutoff-")
        self.addCleanup(shutil.rmtree, tmp, True)
        daemon = Daemon(Path(tmp) / "data").start()
        self.addCleanup(daemon.kill)
        produce = Streaming(["produce", "cutoff"], daemon.address, stdin=True)
        self.addCleanup(produce.kill)
        produce.write("\nfirst\n")
        parse_ids(produce.read_line())
        self.assertEqual(daemon.stop(), 0)
        produce.write("second\n")
        produce.close_stdin()
        self.assertIn(produce.wait(), (1, 4))
        note, line = produce.stderr_lines
        self.assertEqual(note, "goethectl: created topic cutoff")
        self.assertTrue(line.startswith("goethectl: "), line)
        self.assertTrue(line.endswith("; stored line 2 (1 event) before that"), line)


if __name__ == "__main__":
    unittest.main()
