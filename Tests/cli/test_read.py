"""goethectl tail and replay: output formats, positions (--from/--to), --limit, following."""

import base64
import datetime
import os
import re
import subprocess
import tempfile
import time
import unittest
import zoneinfo

import pexpect

from support import (GOETHECTL, GoetheTestCase, LOCAL_TZ, base_env, epoch_position, local_time, parse_ids, utc_time,
                     parse_json_lines, parse_text_events, run_ctl, unique)

NS = 1_000_000_000


def local_string(nanoseconds, fmt="%Y-%m-%d %H:%M:%S"):
    return datetime.datetime.fromtimestamp(nanoseconds // NS, LOCAL_TZ).strftime(fmt)


class ReplayPositionTests(GoetheTestCase):
    """One topic, seeded once, only read by these tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = unique("history")
        code, _, err = run_ctl(["topic", "create", cls.topic], server=cls.server)
        assert code == 0, err
        # At least five events, one command each (so they are milliseconds apart), and until two
        # of them fall in different seconds, so a whole-second local time splits them.
        cls.ids = []
        deadline = time.monotonic() + 20
        while len(cls.ids) < 5 or cls.ids[0] // NS == cls.ids[-1] // NS:
            assert time.monotonic() < deadline, "could not produce events in two different seconds"
            code, out, err = run_ctl(["produce", cls.topic, f"p{len(cls.ids)}"], server=cls.server)
            assert code == 0, err
            cls.ids += parse_ids(out)
        cls.payloads = [f"p{index}" for index in range(len(cls.ids))]

    def replay(self, *args, expect_note=None):
        """Runs replay; returns the ids printed. Asserts stderr is empty, or one note containing expect_note."""
        code, out, err = self.ctl("replay", self.topic, *args, "-o", "json")
        self.assertEqual(code, 0, err)
        if expect_note is None:
            self.assertEqual(err, "", "no note expected")
        else:
            self.assertIn(expect_note, self.assertOneErrorLine(err))
        events = parse_json_lines(out)
        for event in events:
            self.assertEqual(event["payload"], self.payloads[self.ids.index(int(event["id"]))])
        return [int(event["id"]) for event in events]

    def at_or_after(self, nanoseconds):
        return [event_id for event_id in self.ids if event_id >= nanoseconds]

    # -- output formats -----------------------------------------------------------------------

    def test_json_rows(self):
        rows = parse_json_lines(self.ok("replay", self.topic, "--from", "beginning", "-o", "json"))
        self.assertEqual([list(row) for row in rows],
                         [["topic", "id", "seq", "time", "payload", "encoding"]] * len(self.ids))
        # Times in UTC although TZ names another zone: a script should not depend on it.
        self.assertEqual(rows, [
            {"topic": self.topic, "id": str(event_id), "seq": index + 1, "time": utc_time(event_id),
             "payload": self.payloads[index], "encoding": "utf8"}
            for index, event_id in enumerate(self.ids)])

    def test_text_rows(self):
        events = parse_text_events(self.ok("replay", self.topic, "--from", "beginning"))
        self.assertEqual(events, [(local_time(i), i, p) for i, p in zip(self.ids, self.payloads)])

    def test_utc_flag_prints_times_in_utc(self):
        events = parse_text_events(self.ok("replay", self.topic, "--from", "beginning", "--utc"))
        # TimeFormatting means to write "Z" for UTC but compares the zone's identifier with "UTC",
        # which on Linux is "GMT": "+00:00" is printed. Both are RFC 3339 for UTC.
        self.assertEqual([t.replace("+00:00", "Z") for t, _, _ in events],
                         [local_time(i, datetime.timezone.utc) for i in self.ids])
        self.assertTrue(all(t.endswith(("Z", "+00:00")) for t, _, _ in events))
        (row,) = parse_json_lines(self.ok("replay", self.topic, "--from", "beginning", "--limit", "1", "--utc",
                                          "-o", "json"))
        self.assertEqual(row["time"], utc_time(self.ids[0]))

    def test_raw_prints_payloads_only(self):
        code, out, err = self.ctl("replay", self.topic, "--from", "beginning", "-o", "raw", binary=True)
        self.assertEqual((code, err), (0, b""))
        self.assertEqual(out, "".join(p + "\n" for p in self.payloads).encode())

    # -- --from -------------------------------------------------------------------------------

    def test_from_beginning(self):
        self.assertEqual(self.replay("--from", "beginning"), self.ids)

    def test_from_an_event_id_is_inclusive(self):
        self.assertEqual(self.replay("--from", str(self.ids[2])), self.ids[2:])

    def test_from_a_missing_id_starts_at_the_next_event_and_says_so(self):
        missing = self.ids[1] + 1
        self.assertLess(missing, self.ids[2])
        code, out, err = self.ctl("replay", self.topic, "--from", str(missing), "-o", "json")
        self.assertEqual(code, 0, err)
        self.assertEqual([int(e["id"]) for e in parse_json_lines(out)], self.ids[2:])
        note = self.assertOneErrorLine(err)
        self.assertIn(f"no event {missing}", note)
        self.assertIn(f"starting at the next one, {self.ids[2]}", note)

    def test_from_todays_local_date(self):
        today = datetime.datetime.now(LOCAL_TZ).date()
        midnight = datetime.datetime.combine(today, datetime.time(), LOCAL_TZ)
        expected = self.at_or_after(int(midnight.timestamp()) * NS)
        if expected != self.ids:
            self.skipTest("the events were produced before local midnight, the test runs after it")
        self.assertEqual(self.replay("--from", today.isoformat(), expect_note=str(self.ids[0])), expected)
        self.assertEqual(self.replay("--from", "today", expect_note=str(self.ids[0])), expected)
        self.assertEqual(self.replay("--from", "yesterday", expect_note=str(self.ids[0])), self.ids)

    def test_from_a_future_date_prints_nothing_and_says_so(self):
        future = f"{datetime.date.today().year + 1}-01-01"
        self.assertEqual(self.replay("--from", future, expect_note=f'no event at or after "{future}"'), [])

    def test_from_a_far_future_date_is_a_usage_error(self):
        code, out, err = run_ctl(["replay", self.topic, "--from", "2999-01-01"], server=self.server,
                                 env={"SWIFT_BACKTRACE": "enable=no"})
        self.assertEqual(code, 2, err)
        self.assertEqual(out, "")
        self.assertOneErrorLine(err)

    def test_from_a_local_time_with_whole_seconds(self):
        boundary = (self.ids[0] // NS + 1) * NS  # the second after the first event's
        expected = self.at_or_after(boundary)
        self.assertTrue(0 < len(expected) < len(self.ids), "the seed spans two seconds")
        position = local_string(boundary)
        self.assertEqual(self.replay("--from", position, expect_note=str(expected[0])), expected)

    def test_utc_flag_reads_times_without_a_zone_in_utc(self):
        # As journalctl --utc does: the flag applies to what is typed as well as to what is printed.
        boundary = (self.ids[0] // NS + 1) * NS
        expected = self.at_or_after(boundary)
        utc = datetime.datetime.fromtimestamp(boundary // NS, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        self.assertEqual(self.replay("--from", utc, "--utc", expect_note=str(expected[0])), expected)
        self.assertEqual(self.replay("--to", utc, "--utc", "--from", "beginning"), self.ids[:len(self.ids) - len(expected)])

    def test_journalctl_forms(self):
        boundary = (self.ids[0] // NS + 1) * NS
        expected = self.at_or_after(boundary)
        note = str(expected[0])
        at = datetime.datetime.fromtimestamp(boundary // NS, datetime.timezone.utc)
        new_york = at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
        today = datetime.datetime.now(LOCAL_TZ).date() == at.astimezone(LOCAL_TZ).date()
        cases = [
            (["--from", "-1d"], self.ids, str(self.ids[0])), (["--from=-2h"], self.ids, str(self.ids[0])),
            (["--from", at.strftime("%Y-%m-%d %H:%M:%S") + " UTC"], expected, note),
            (["--from", new_york.strftime("%Y-%m-%d %H:%M:%S") + " America/New_York"], expected, note),
            (["--from", "beginning", "--to", "-1d"], [], None),
        ]
        if today:  # a time of day alone is today's
            cases.append((["--from", local_string(boundary, "%H:%M:%S")], expected, note))
            cases.append((["--from", at.strftime("%H:%M:%S") + " UTC"], expected, note))
        for args, ids, expect_note in cases:
            with self.subTest(args=args):
                self.assertEqual(self.replay(*args, expect_note=expect_note), ids)

    def test_replay_without_from_starts_at_the_beginning(self):
        self.assertEqual(self.replay(), self.ids)

    def test_a_bad_journalctl_form_quotes_what_was_typed(self):
        line = self.fails(2, "replay", self.topic, "--from", "-15 fortnights")
        self.assertIn('"-15 fortnights"', line)

    def test_from_a_local_time_with_minutes(self):
        minute_start = self.ids[0] // (60 * NS) * 60 * NS
        self.assertEqual(self.replay("--from", local_string(minute_start, "%Y-%m-%d %H:%M"), expect_note=str(self.ids[0])),
                         self.ids)
        next_minute = minute_start + 60 * NS
        expected = self.at_or_after(next_minute)
        position = local_string(next_minute, "%Y-%m-%d %H:%M")
        self.assertEqual(self.replay("--from", position, expect_note=str(expected[0]) if expected else "no event at or after"),
                         expected)

    def test_from_a_local_time_with_a_fraction(self):
        middle = (self.ids[1] + self.ids[2]) // 2
        position = local_string(middle) + f".{middle % NS // 1000:06d}"
        self.assertEqual(self.replay("--from", position, expect_note=str(self.ids[2])), self.ids[2:])

    def test_from_rfc3339_times(self):
        middle = (self.ids[2] + self.ids[3]) // 2
        seconds, rest = divmod(middle, NS)
        utc = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        self.assertEqual(self.replay("--from", f"{utc}.{rest:09d}Z", expect_note=str(self.ids[3])), self.ids[3:])
        plus = datetime.datetime.fromtimestamp(seconds, datetime.timezone(datetime.timedelta(hours=5, minutes=30)))
        self.assertEqual(
            self.replay("--from", plus.strftime("%Y-%m-%dT%H:%M:%S") + f".{rest // 1000:06d}+05:30",
                        expect_note=str(self.ids[3])),
            self.ids[3:])

    def test_from_epoch_seconds_is_exact_to_the_nanosecond(self):
        # A time means the first event committed at or after it.
        self.assertEqual(self.replay("--from", epoch_position(self.ids[2])), self.ids[2:])
        self.assertEqual(self.replay("--from", epoch_position(self.ids[2] + 1), expect_note=str(self.ids[3])),
                         self.ids[3:])
        boundary = self.ids[0] // NS + 1
        expected = self.at_or_after(boundary * NS)
        self.assertEqual(self.replay("--from", f"@{boundary}", expect_note=str(expected[0])), expected)

    def test_from_relative_times(self):
        self.assertEqual(self.replay("--from", "15m ago", expect_note=str(self.ids[0])), self.ids)
        self.assertEqual(self.replay("--from", "2h ago", expect_note=str(self.ids[0])), self.ids)
        self.assertEqual(self.replay("--from", "0s ago", expect_note='no event at or after "0s ago"'), [])

    def test_from_now_and_end_print_nothing_without_follow(self):
        self.assertEqual(self.replay("--from", "now", expect_note='no event at or after "now"'), [])
        self.assertEqual(self.replay("--from", "end", expect_note='no event at or after "end"'), [])

    # -- --to and --limit ---------------------------------------------------------------------

    def test_to_an_event_id_is_inclusive(self):
        self.assertEqual(self.replay("--from", "beginning", "--to", str(self.ids[2])), self.ids[:3])
        self.assertEqual(self.replay("--from", str(self.ids[1]), "--to", str(self.ids[1])), [self.ids[1]])

    def test_to_a_time_is_exclusive(self):
        self.assertEqual(self.replay("--from", "beginning", "--to", epoch_position(self.ids[2])), self.ids[:2])
        self.assertEqual(self.replay("--from", "beginning", "--to", epoch_position(self.ids[2] + 1)), self.ids[:3])
        boundary = (self.ids[0] // NS + 1) * NS
        expected = [i for i in self.ids if i < boundary]
        self.assertEqual(self.replay("--from", "beginning", "--to", local_string(boundary)), expected)

    def test_to_end_reads_everything(self):
        self.assertEqual(self.replay("--from", "beginning", "--to", "end"), self.ids)

    def test_to_beginning_is_refused(self):
        line = self.fails(2, "replay", self.topic, "--from", "beginning", "--to", "beginning")
        self.assertIn("--to beginning", line)

    def test_limit(self):
        self.assertEqual(self.replay("--from", "beginning", "--limit", "2"), self.ids[:2])
        self.assertEqual(self.replay("--from", str(self.ids[1]), "--limit", "2"), self.ids[1:3])
        self.assertEqual(self.replay("--from", "beginning", "--to", str(self.ids[3]), "--limit", "10"), self.ids[:4])

    def test_replay_moves_no_cursor(self):
        self.replay("--from", "beginning")
        self.assertEqual(self.ok("cursor", "list", self.topic, "-o", "json"), "")


class PayloadFormatTests(GoetheTestCase):
    BINARY = b"\x00\x01bin\xff\xfe\\ \x1b[31mred\tTAB\r\n\xc2\x85end"
    # Control bytes and bytes that are not UTF-8 escaped, a backslash doubled.
    BINARY_TEXT = r"\x00\x01bin\xff\xfe\\ \x1b[31mred\tTAB\r\n\x85end"

    def setUp(self):
        self.topic = self.create_topic("payloads")

    def produce_file(self, data):
        handle, path = tempfile.mkstemp(dir=self.tmp)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        (event_id,) = parse_ids(self.ok("produce", self.topic, "--file", path, "--whole"))
        return event_id

    def test_binary_payload_in_json_text_and_raw(self):
        event_id = self.produce_file(self.BINARY)
        (row,) = self.replay_json(self.topic)
        self.assertEqual(list(row), ["topic", "id", "seq", "time", "payload", "encoding"])
        self.assertEqual((row["id"], row["encoding"]), (str(event_id), "base64"))
        self.assertEqual(base64.b64decode(row["payload"]), self.BINARY)

        code, out, err = self.ctl("tail", self.topic, binary=True)
        self.assertEqual((code, err), (0, b""))
        self.assertTrue(out.isascii(), out)
        self.assertEqual(out.count(b"\n"), 1, "one line per event")
        self.assertEqual(parse_text_events(out.decode()), [(local_time(event_id), event_id, self.BINARY_TEXT)])

        code, out, err = self.ctl("tail", self.topic, "-o", "raw", binary=True)
        self.assertEqual((code, out, err), (0, self.BINARY + b"\n", b""))

    def test_unicode_and_quotes(self):
        text = 'grüße ✓ say "hi" \\ back'
        (event_id,) = self.produce(self.topic, text)
        (row,) = self.replay_json(self.topic)
        self.assertEqual(row["payload"], text)
        self.assertEqual(parse_text_events(self.ok("tail", self.topic)),
                         [(local_time(event_id), event_id, 'grüße ✓ say "hi" \\\\ back')])

    def test_control_characters_in_utf8_payload_stay_a_json_string(self):
        payload = b"tab\there\x07bell"
        self.produce_file(payload)
        (row,) = self.replay_json(self.topic)
        self.assertEqual(row["payload"], payload.decode())
        self.assertEqual(parse_text_events(self.ok("tail", self.topic))[0][2], r"tab\there\x07bell")


class TailTests(GoetheTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = unique("tail")
        code, out, err = run_ctl(["topic", "create", cls.topic], server=cls.server)
        assert code == 0, err
        lines = "".join(f"line {index}\n" for index in range(12))
        code, out, err = run_ctl(["produce", cls.topic], server=cls.server, input=lines)
        assert code == 0, err
        cls.ids = parse_ids(out)
        assert len(cls.ids) == 12

    def tail_ids(self, *args):
        return [event_id for _, event_id, _ in parse_text_events(self.ok("tail", self.topic, *args))]

    def test_tail_n_prints_exactly_the_last_n(self):
        self.assertEqual(self.tail_ids("-n", "3"), self.ids[-3:])
        self.assertEqual(self.tail_ids("-n", "1"), self.ids[-1:])
        self.assertEqual(self.tail_ids("--lines", "5"), self.ids[-5:])

    def test_tail_defaults_to_ten(self):
        self.assertEqual(self.tail_ids(), self.ids[-10:])

    def test_tail_more_than_there_are(self):
        self.assertEqual(self.tail_ids("-n", "100"), self.ids)

    def test_tail_zero_prints_nothing(self):
        code, out, err = self.ctl("tail", self.topic, "-n", "0")
        self.assertEqual((code, out), (0, ""))

    def test_tail_empty_topic(self):
        topic = self.create_topic("empty")
        code, out, err = self.ctl("tail", topic)
        self.assertEqual((code, out), (0, ""))

    def assertInterrupted(self, stream):
        self.assertEqual(stream.wait(), 130, stream.stderr())
        self.assertNotCrashed(stream.stderr())
        for line in stream.stderr_lines:
            self.assertTrue(line.startswith("goethectl: "), f"unexpected stderr: {stream.stderr()!r}")

    def test_tail_follow_prints_new_events_until_ctrl_c(self):
        topic = self.create_topic("follow")
        old = self.produce(topic, "old 1", "old 2", "old 3")
        tail = self.streaming("tail", topic, "-f", "-n", "2")
        self.assertEqual([parse_text_events(line)[0][1:] for line in tail.read_lines(2)],
                         [(old[1], "old 2"), (old[2], "old 3")])
        (new,) = self.produce(topic, "new one")
        self.assertEqual(parse_text_events(tail.read_line())[0], (local_time(new), new, "new one"))
        (newer,) = parse_ids(self.ok("produce", topic, input="newer\n"))
        self.assertEqual(parse_text_events(tail.read_line())[0][1:], (newer, "newer"))
        tail.interrupt()
        self.assertInterrupted(tail)
        self.assertTrue(tail.no_more_output())

    def test_replay_follow_from_now_relative_prints_only_later_events(self):
        topic = self.create_topic("from-now")
        self.produce(topic, "before")
        replay = self.streaming("replay", topic, "--from", "0s ago", "-f", "-o", "json")
        note = replay.read_stderr_line()  # the subscription is in place
        self.assertIn('no event at or after "0s ago" yet; waiting for the next one', note)
        (after,) = self.produce(topic, "after")
        row = parse_json_lines(replay.read_line())[0]
        self.assertEqual((row["id"], row["payload"]), (str(after), "after"))
        replay.interrupt()
        self.assertInterrupted(replay)
        self.assertTrue(replay.no_more_output())

    def test_replay_follow_from_a_future_date_waits(self):
        topic = self.create_topic("future")
        future = f"{datetime.date.today().year + 1}-01-01"
        replay = self.streaming("replay", topic, "--from", future, "-f")
        self.assertEqual(replay.read_stderr_line(), f'goethectl: no event at or after "{future}" yet; waiting for the next one')
        replay.interrupt()
        self.assertInterrupted(replay)
        self.assertEqual(replay.stdout_lines, [])

    def test_tail_unknown_topic(self):
        line = self.fails(3, "tail", unique("nope"))
        self.assertIn("does not exist", line)



class TerminalMannersTests(GoetheTestCase):
    """Colours and progress only on a terminal; NO_COLOR and --no-color turn colours off."""

    SGR = re.compile(rb"\x1b\[[0-9;]*m")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = unique("manners")
        code, _, err = run_ctl(["topic", "create", cls.topic], server=cls.server)
        assert code == 0, err
        code, out, err = run_ctl(["produce", cls.topic], server=cls.server,
                                 input="".join(f"event {n}\n" for n in range(60)))
        assert code == 0, err
        cls.ids = parse_ids(out)

    def env(self, no_color):
        env = base_env(TERM="xterm")
        if not no_color:
            env.pop("NO_COLOR")
        return env

    def on_terminal(self, *args, no_color=False):
        """stdout and stderr of `goethectl tail ...` in a 24-row pseudo-terminal, as one byte stream."""
        child = pexpect.spawn(str(GOETHECTL), ["tail", self.topic, *args, "--server", self.server],
                              env=self.env(no_color), dimensions=(24, 120), timeout=20)
        child.expect(pexpect.EOF)
        output = child.before
        child.close()
        self.assertEqual(child.exitstatus, 0, output[-500:])
        return output

    def test_colours_on_a_terminal(self):
        output = self.on_terminal("-n", "3")
        self.assertIn(f"\x1b[2m{local_time(self.ids[-1])}\x1b[0m  \x1b[36m{self.ids[-1]}\x1b[0m  event 59".encode(),
                      output)

    def test_no_colours_with_no_color_flag_or_environment(self):
        for output in (self.on_terminal("-n", "3", "--no-color"), self.on_terminal("-n", "3", no_color=True)):
            self.assertIsNone(self.SGR.search(output), output)
            self.assertIn(f"{local_time(self.ids[-1])}  {self.ids[-1]}  event 59".encode(), output)

    def test_no_colours_and_no_progress_in_a_pipe(self):
        result = subprocess.run([str(GOETHECTL), "tail", self.topic, "-n", "50", "--server", self.server],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=self.env(no_color=False), timeout=30)
        self.assertEqual((result.returncode, result.stderr), (0, b""))
        self.assertNotIn(b"\x1b", result.stdout)
        self.assertEqual(len(result.stdout.splitlines()), 50)

    def test_progress_on_a_terminal_for_a_stream_longer_than_the_screen(self):
        self.assertIn(b"50/50 events", self.on_terminal("-n", "50"))
        self.assertNotIn(b" events, ", self.on_terminal("-n", "5"))


if __name__ == "__main__":
    unittest.main()
