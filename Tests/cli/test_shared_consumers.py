"""goethectl consume as members of a shared consumer: the members split the events, each acknowledges
what it prints, and what a member does not acknowledge goes to another."""

import signal
import subprocess
import time
import unittest
from pathlib import Path

from support import GOETHECTL, Daemon, GoetheTestCase, base_env, parse_json_lines, parse_text_events, unique

EVENTS = 3000
# Generous: the machine running the tests may be loaded; every wait ends as soon as its condition holds.
DEADLINE = 120.0


def wait_for(condition, what, timeout=DEADLINE):
    """Polls `condition` until it returns a true value, which it returns; fails at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class SharedConsumerCase(GoetheTestCase):
    def setUp(self):
        self.topic = self.create_topic("shared")
        self.consumer = unique("workers")

    def fill(self, count=EVENTS, padding=0):
        """Produces `count` events; `padding` makes each line longer, so a pipe nobody reads fills sooner."""
        out = self.ok("produce", self.topic, input="".join(f"e{index}{'-' * padding}\n" for index in range(count)))
        ids = [int(line) for line in out.split()]
        self.assertEqual(len(ids), count)
        return ids

    def member(self, *extra):
        return self.streaming("consume", self.topic, "--consumer", self.consumer, "-f", *extra)

    def blocked_member(self, *extra):
        """A member whose stdout nobody reads: once the pipe is full it holds what it was given."""
        process = subprocess.Popen(
            [str(GOETHECTL), "consume", self.topic, "--consumer", self.consumer, "-f", *extra, "--server", self.server],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=base_env())

        def cleanup():
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)
            process.stdout.close()
        self.addCleanup(cleanup)
        return process

    def describe_consumer(self):
        (description,) = parse_json_lines(self.ok("consumer", "describe", self.topic, self.consumer, "-o", "json"))
        return description

    def wait_for_members(self, count):
        wait_for(lambda: len(self.describe_consumer()["members"]) == count, f"{count} members")

    @staticmethod
    def printed(member):
        return [event_id for line in list(member.stdout_lines) for _, event_id, _ in parse_text_events(line)]

    def stop(self, *members):
        for member in members:
            member.interrupt()
        for member in members:
            self.assertEqual(member.wait(timeout=30), 130, member.stderr())
            self.assertNotCrashed(member.stderr())


class SplittingTests(SharedConsumerCase):
    def test_three_members_print_each_event_exactly_once_between_them(self):
        members = [self.member("--max-pending", "20") for _ in range(3)]
        self.wait_for_members(3)
        ids = self.fill()
        wait_for(lambda: sum(len(member.stdout_lines) for member in members) >= EVENTS, "every event printed")
        self.stop(*members)
        printed = [self.printed(member) for member in members]
        everything = sorted(event_id for share in printed for event_id in share)
        self.assertEqual(everything, ids, "each event exactly once across the members")
        for share in printed:
            self.assertGreater(len(share), 0, [len(share) for share in printed])
            self.assertEqual(share, sorted(share), "in order within a member")
        description = self.describe_consumer()
        self.assertEqual((description["ack_floor"], description["lag"], description["pending"]), (str(ids[-1]), 0, 0))
        (cursor,) = parse_json_lines(self.ok("cursor", "get", self.topic, self.consumer, "-o", "json"))
        self.assertEqual((cursor["id"], cursor["lag"]), (str(ids[-1]), 0), "the cursor is the ack floor")

    def test_describe_shows_members_and_settings(self):
        member = self.member("--ack-wait", "5s", "--max-deliveries", "4", "--max-pending", "7")
        self.wait_for_members(1)
        description = self.describe_consumer()
        self.assertEqual(
            (description["ack_wait_ms"], description["max_deliveries"], description["max_pending"]), (5000, 4, 7))
        self.assertEqual(description["members"][0]["pending"], 0)
        text = self.ok("consumer", "describe", self.topic, self.consumer)
        self.assertIn("Max deliveries:  4", text)
        self.stop(member)

    def test_without_follow_a_member_ends_when_nothing_is_left(self):
        ids = self.fill(50)
        code, out, err = self.ctl("consume", self.topic, "--consumer", self.consumer)
        self.assertEqual(code, 0, err)
        self.assertEqual([event_id for _, event_id, _ in parse_text_events(out)], ids)

    def test_reset_moves_the_ack_floor(self):
        ids = self.fill(10)
        self.ctl("consume", self.topic, "--consumer", self.consumer)
        (description,) = parse_json_lines(
            self.ok("consumer", "reset", self.topic, self.consumer, str(ids[4]), "-o", "json"))
        self.assertEqual((description["ack_floor"], description["lag"]), (str(ids[4]), 5))
        code, out, err = self.ctl("consume", self.topic, "--consumer", self.consumer)
        self.assertEqual([event_id for _, event_id, _ in parse_text_events(out)], ids[5:])


class RedeliveryTests(SharedConsumerCase):
    def test_what_a_killed_member_held_goes_to_the_others(self):
        victim = self.blocked_member("--ack-wait", "2s", "--max-pending", "50")
        self.wait_for_members(1)
        ids = self.fill(padding=200)
        # The victim's stdout pipe fills; it then holds events it cannot print, nor acknowledge.
        wait_for(lambda: self.describe_consumer()["pending"] > 0, "the victim to hold events")
        others = [self.member("--max-pending", "50") for _ in range(2)]
        self.wait_for_members(3)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
        victim_printed = [event_id for _, event_id, _ in parse_text_events(victim.stdout.read().decode())]
        survivors = lambda: set(self.printed(others[0])) | set(self.printed(others[1]))
        wait_for(lambda: survivors() | set(victim_printed) >= set(ids), "the victim's events at the others")
        self.stop(*others)
        self.assertEqual(self.describe_consumer()["lag"], 0)
        self.assertLess(len(victim_printed), EVENTS)

    def test_what_a_stalled_member_holds_goes_to_another_after_the_ack_wait(self):
        stalled = self.member("--ack-wait", "1s", "--max-pending", "5")
        self.wait_for_members(1)
        stalled.process.send_signal(signal.SIGSTOP)
        self.addCleanup(lambda: stalled.process.send_signal(signal.SIGCONT))
        ids = self.fill(20)
        wait_for(lambda: self.describe_consumer()["pending"] == 5, "the stalled member to hold 5 events")
        other = self.member()
        wait_for(lambda: set(self.printed(other)) == set(ids), "every event at the other member")
        description = self.describe_consumer()
        self.assertGreaterEqual(description["redelivered"], 5)
        stalled.process.send_signal(signal.SIGCONT)
        self.stop(other, stalled)


class ParkingTests(SharedConsumerCase):
    def test_an_event_that_runs_out_of_deliveries_is_parked_listed_copied_and_replayed(self):
        dead = unique("dead")
        # One payload larger than a pipe: the member that never gets it written out never acknowledges it.
        big = "x" * 200_000
        (poison,) = [int(line) for line in self.ok("produce", self.topic, input=big + "\n").split()]
        blocked = self.blocked_member("--ack-wait", "300ms", "--max-deliveries", "2", "--dead-letter", dead)
        parked = wait_for(
            lambda: parse_json_lines(self.ok("consumer", "parked", self.topic, self.consumer, "-o", "json")),
            "the event to be parked")
        self.assertEqual([(int(row["id"]), row["deliveries"]) for row in parked], [(poison, 2)])
        self.assertEqual([row["payload"] for row in self.replay_json(dead)], [big])
        self.assertEqual(self.describe_consumer()["lag"], 0, "a parked event counts as settled")
        blocked.kill()
        blocked.wait(timeout=10)

        reader = self.member()
        self.wait_for_members(1)
        self.ok("consumer", "replay", self.topic, self.consumer)
        self.assertEqual(parse_text_events(reader.read_line(timeout=DEADLINE))[0][1], poison)
        wait_for(lambda: self.describe_consumer()["parked"] == 0, "the replayed event to leave the parked ones")
        self.stop(reader)


class RestartTests(SharedConsumerCase):
    def restart_daemon(self):
        cls = type(self)
        self.assertEqual(cls.daemon.stop(), 0, cls.daemon.log())
        cls.daemon = Daemon(Path(cls.tmp) / "data").start()
        cls.server = self.server = cls.daemon.address

    def test_after_a_restart_only_unacknowledged_events_come_again(self):
        ids = self.fill(padding=200)
        # A member holds events unacknowledged, its stdout full, while others acknowledge past them.
        holder = self.blocked_member("--max-pending", "30")
        self.wait_for_members(1)
        wait_for(lambda: self.describe_consumer()["pending"] == 30, "the holder to hold 30 events")
        acknowledged = []
        for _ in range(2):
            code, out, err = self.ctl("consume", self.topic, "--consumer", self.consumer, "--limit", "1000")
            self.assertEqual(code, 0, err)
            acknowledged += [event_id for _, event_id, _ in parse_text_events(out)]
        self.assertLess(int(self.describe_consumer()["ack_floor"]), max(acknowledged), "acks above the floor")

        self.restart_daemon()
        holder.kill()
        holder.wait(timeout=10)
        holder_printed = {event_id for _, event_id, _ in parse_text_events(holder.stdout.read().decode())}

        code, out, err = self.ctl("consume", self.topic, "--consumer", self.consumer)
        self.assertEqual(code, 0, err)
        again = [event_id for _, event_id, _ in parse_text_events(out)]
        self.assertFalse(set(again) & set(acknowledged), "an acknowledged event came again")
        self.assertEqual(len(again), len(set(again)))
        self.assertLessEqual(set(again), set(ids) - set(acknowledged))
        self.assertGreaterEqual(set(again) | holder_printed, set(ids) - set(acknowledged))


if __name__ == "__main__":
    unittest.main()
