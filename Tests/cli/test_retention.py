"""goethectl topic create/set with retention limits, topic purge, topic delete, and a consumer behind
the retention limit."""

import os
import pty
import select
import subprocess
import time
import unittest
from pathlib import Path

from support import (COMMAND_TIMEOUT, GOETHECTL, GoetheTestCase, Streaming, base_env, parse_json_lines,
                     parse_text_events, unique)


def directory_size(path):
    return sum(f.stat().st_size for f in Path(path).iterdir() if f.is_file())


class RetentionTests(GoetheTestCase):
    # Retention rounds every 100 ms, so that the tests wait briefly; new topics keep 1000 events.
    daemon_args = ("--retention-interval", "100ms", "--default-max-events", "1000")

    def produce_lines(self, topic, *payloads):
        self.ok("produce", topic, input="".join(p + "\n" for p in payloads))

    def wait_until(self, condition, what):
        deadline = time.monotonic() + COMMAND_TIMEOUT
        while not condition():
            if time.monotonic() > deadline:
                self.fail(f"timed out waiting until {what}")
            time.sleep(0.05)

    def test_create_takes_limits_and_the_daemon_defaults_fill_the_others(self):
        topic = unique("limited")
        out = self.ok("topic", "create", topic, "--max-age", "7d", "--max-bytes", "10GiB")
        self.assertEqual(out, f"created topic {topic} (time index per 1h; max age 7d, max events 1000, max bytes 10 GiB)\n")
        info = self.describe(topic)
        self.assertEqual(info["retention"], {"max_age": "7d", "max_events": 1000, "max_bytes": 10 << 30})
        unlimited = unique("unlimited")
        self.ok("topic", "create", unlimited, "--max-events", "none")
        self.assertEqual(self.describe(unlimited)["retention"], {"max_age": None, "max_events": None, "max_bytes": None})
        self.assertIn("retention:     none", self.ok("topic", "describe", unlimited).splitlines())

    def test_set_changes_the_limits_it_names(self):
        topic = self.create_topic("set")
        self.assertEqual(self.ok("topic", "set", topic, "--max-age", "36h", "--max-bytes", "1MiB"),
                         f"topic {topic}: max age 36h, max events 1000, max bytes 1 MiB\n")
        self.assertEqual(self.ok("topic", "set", topic, "--max-age", "none", "--max-events", "none"),
                         f"topic {topic}: max bytes 1 MiB\n")
        (info,) = parse_json_lines(self.ok("topic", "set", topic, "--max-events", "5", "-o", "json"))
        self.assertEqual(info["retention"], {"max_age": None, "max_events": 5, "max_bytes": 1 << 20})
        self.assertIn("--max-age", self.fails(2, "topic", "set", topic))
        self.assertIn("--max-events", self.fails(2, "topic", "set", topic, "--max-events", "0"))
        self.assertIn("7y", self.fails(2, "topic", "set", topic, "--max-age", "7y"))
        self.assertIn("does not exist", self.fails(3, "topic", "set", unique("missing"), "--max-events", "1"))

    def test_max_events_keeps_exactly_the_newest_events(self):
        topic = self.create_topic("bounded")
        self.ok("topic", "set", topic, "--max-events", "3")
        self.produce_lines(topic, *[f"e{n}" for n in range(10)])
        self.wait_until(lambda: self.describe(topic)["events"] == 3, "retention keeps 3 events")
        events = self.replay_json(topic)
        self.assertEqual([e["payload"] for e in events], ["e7", "e8", "e9"])
        info = self.describe(topic)
        self.assertEqual((info["head_seq"], info["first_seq"], info["first_id"], info["bytes"]),
                         (10, 8, events[0]["id"], 6))
        stats = parse_json_lines(self.ok("topic", "stats", topic, "-o", "json"))
        self.assertEqual(sum(bucket["count"] for bucket in stats), 3)

    def test_a_consumer_behind_the_first_retained_event_resumes_there_with_a_note(self):
        topic = self.create_topic("behind")
        ids = self.produce(topic, "e0", "e1", "e2", "e3", "e4")
        consumer = unique("slow")
        self.ok("consume", topic, "--consumer", consumer, "--limit", "1")
        out = self.ok("topic", "purge", topic, "--before", str(ids[3]), "--yes")
        self.assertEqual(out.split(";")[0], f"removed 3 events of topic {topic}")
        code, out, err = self.ctl("consume", topic, "--consumer", consumer)
        self.assertEqual(code, 0, err)
        self.assertEqual([payload for _, _, payload in parse_text_events(out)], ["e3", "e4"])
        self.assertIn(f"consumer {consumer}'s cursor is before the first retained event; resumes at the first "
                      f"retained event, {ids[3]}", err)
        code, _, err = self.ctl("replay", topic, "--from", str(ids[0]))
        self.assertEqual(code, 0, err)
        self.assertIn("resumes at the first retained event", err)

    def test_purge_before_a_position(self):
        topic = self.create_topic("purge")
        ids = self.produce(topic, "a", "b", "c")
        self.assertIn("needs --yes", self.fails(2, "topic", "purge", topic, "--before", "end"))
        self.assertEqual(self.describe(topic)["events"], 3)
        (result,) = parse_json_lines(self.ok("topic", "purge", topic, "--before", str(ids[2]), "--yes", "-o", "json"))
        self.assertEqual(result, {"topic": topic, "removed": 2, "events": 1, "first_id": str(ids[2])})
        (result,) = parse_json_lines(self.ok("topic", "purge", topic, "--before", "end", "--yes", "-o", "json"))
        self.assertEqual((result["removed"], result["events"], result["first_id"]), (1, 0, None))
        info = self.describe(topic)
        self.assertEqual((info["events"], info["head_seq"], info["first_id"]), (0, 3, None))
        (event,) = parse_json_lines(self.ok("produce", topic, "d", "-o", "json"))
        self.assertEqual(event["seq"], 4, "sequence numbers go on after a purge")
        self.fails(3, "topic", "purge", unique("missing"), "--before", "end", "--yes")

    def test_delete_removes_the_topic_and_its_cursors_and_gives_the_space_back(self):
        topic = self.create_topic("doomed")
        self.ok("topic", "set", topic, "--max-events", "none")
        block = os.urandom(3000).hex()
        self.produce_lines(topic, *[f"{n} {block}" for n in range(1500)])
        self.ok("cursor", "set", topic, unique("reader"), "beginning")
        self.assertIn("needs --yes", self.fails(2, "topic", "delete", topic))
        before = directory_size(self.daemon.data_dir)
        self.assertEqual(self.ok("topic", "delete", topic, "--yes"), f"deleted topic {topic} (1500 events)\n")
        after = directory_size(self.daemon.data_dir)
        self.assertLess(after, before / 2, f"{before} bytes in the data directory before, {after} after")
        self.assertIn("does not exist", self.fails(3, "topic", "describe", topic))
        self.assertIn("does not exist", self.fails(3, "topic", "delete", topic, "--yes"))
        self.ok("topic", "create", topic)
        self.assertEqual(self.describe(topic)["events"], 0)
        self.assertEqual(self.ok("cursor", "list", topic, "-o", "json"), "")

    def test_a_tail_that_follows_a_deleted_topic_ends_saying_so(self):
        topic = self.create_topic("followed")
        self.produce_lines(topic, "first")
        tail = Streaming(["tail", "-f", topic, "-o", "raw"], self.server)
        self.addCleanup(tail.kill)
        self.assertEqual(tail.read_line(), "first")
        self.ok("topic", "delete", topic, "--yes")
        self.assertEqual(tail.wait(), 3, tail.stderr_lines)
        self.assertTrue(any("does not exist" in line for line in tail.stderr_lines), tail.stderr_lines)

    def ask_on_a_terminal(self, args, answer):
        """Runs goethectl with stdin and stderr on a terminal, answers its question; returns the exit
        code and what it wrote to the terminal."""
        leader, follower = pty.openpty()
        process = subprocess.Popen([str(GOETHECTL), *args, "--server", self.server], stdin=follower,
                                   stdout=subprocess.PIPE, stderr=follower, env=base_env())
        os.close(follower)
        seen = b""
        deadline = time.monotonic() + COMMAND_TIMEOUT
        while b"[y/N]" not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1)
            if ready:
                seen += os.read(leader, 1024)
        os.write(leader, answer.encode() + b"\n")
        process.communicate(timeout=COMMAND_TIMEOUT)
        os.close(leader)
        return process.returncode, seen.decode()

    def test_delete_asks_on_a_terminal(self):
        topic = self.create_topic("asked")
        self.produce(topic, "x")
        code, seen = self.ask_on_a_terminal(["topic", "delete", topic], "n")
        self.assertIn(f"delete topic {topic} with 1 event? [y/N]", seen)
        self.assertEqual(code, 1)
        self.assertEqual(self.describe(topic)["events"], 1)
        code, _ = self.ask_on_a_terminal(["topic", "delete", topic], "y")
        self.assertEqual(code, 0)
        self.fails(3, "topic", "describe", topic)


if __name__ == "__main__":
    unittest.main()
