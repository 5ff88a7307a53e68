"""goethectl bench: every mode moves exactly -n events through the real daemon; the figures come
as text, one JSON object or raw numbers; bad options are usage errors. Counts are checked, never speed."""

import math
import re

from support import GoetheTestCase, free_port, parse_json_lines, run_ctl, unique

EVENTS = 200
SIZE = 100


class BenchModeTests(GoetheTestCase):
    def bench(self, mode, *args):
        """Runs one bench with -o json; returns its one JSON object."""
        (result,) = parse_json_lines(self.ok("bench", mode, "-n", EVENTS, "-o", "json", *args))
        return result

    def assertMoved(self, result, mode, head=EVENTS):
        """The result counts -n events of the default size, and the topic holds `head` events."""
        self.assertEqual(result["mode"], mode)
        self.assertEqual(result["events"], EVENTS)
        self.assertEqual(result["bytes"], EVENTS * SIZE)
        self.assertEqual(result["sync"], "always", "the daemon's sync mode, as the server reports it")
        self.assertEqual(result["server"], self.server)
        self.assertGreater(result["seconds"], 0)
        self.assertGreater(result["events_per_sec"], 0)
        self.assertEqual(self.describe(result["topic"])["head_seq"], head)

    def assertLatency(self, result, samples):
        latency = result["latency"]
        self.assertEqual(latency["samples"], samples)
        self.assertLessEqual(latency["p50_ns"], latency["p99_ns"])
        self.assertLessEqual(latency["p99_ns"], latency["p999_ns"])
        self.assertLessEqual(latency["p999_ns"], latency["max_ns"])

    def fill(self, topic, count):
        self.ok("produce", topic, input="".join(f"event {n}\n" for n in range(count)))

    # -- the modes ----------------------------------------------------------------------------

    def test_produce_appends_one_event_per_call(self):
        result = self.bench("produce", "-c", "3")
        self.assertMoved(result, "produce")
        self.assertEqual((result["clients"], result["size"], result["batch"], result["inflight"]), (3, SIZE, None, None))
        self.assertLatency(result, EVENTS)

    def test_append_sends_batches(self):
        result = self.bench("append", "-c", "3", "--batch", "30")
        self.assertMoved(result, "append")
        self.assertEqual(result["batch"], 30)
        # 200 events over 3 clients are shares of 67, 67 and 66: 3 calls each.
        self.assertLatency(result, 3 * math.ceil(67 / 30))

    def test_append_batches_100_by_default(self):
        result = self.bench("append")
        self.assertMoved(result, "append")
        self.assertEqual(result["batch"], 100)
        self.assertLatency(result, 2)

    def test_append_keeps_calls_in_flight(self):
        result = self.bench("append", "-c", "2", "--batch", "10", "--inflight", "3")
        self.assertMoved(result, "append")
        self.assertEqual((result["batch"], result["inflight"]), (10, 3))
        # Each client's 100 events go in 3 lanes of 34, 33 and 33: 4 calls each.
        self.assertLatency(result, 2 * 3 * 4)

    def test_stream_sends_batches_in_flight_and_every_event_is_answered(self):
        result = self.bench("stream", "-c", "2", "--batch", "16", "--inflight", "4")
        self.assertMoved(result, "stream")
        self.assertEqual((result["batch"], result["inflight"]), (16, 4))
        # One latency sample per answered batch: at least 100 / 16 per client.
        self.assertGreaterEqual(result["latency"]["samples"], 2 * math.ceil(100 / 16))

    def test_replay_fills_a_new_topic_then_reads_it(self):
        result = self.bench("replay", "-c", "2")
        self.assertMoved(result, "replay")
        self.assertIsNone(result["latency"])

    def test_replay_tops_up_a_short_topic(self):
        topic = self.create_topic("bench-short")
        self.fill(topic, 50)
        result = self.bench("replay", "--topic", topic)
        self.assertEqual(result["topic"], topic)
        self.assertEqual(result["events"], EVENTS)
        self.assertEqual(self.describe(topic)["head_seq"], EVENTS)

    def test_replay_reads_a_long_topic_without_writing(self):
        topic = self.create_topic("bench-long")
        self.fill(topic, EVENTS + 50)
        result = self.bench("replay", "--topic", topic, "-c", "4")
        self.assertEqual(result["events"], EVENTS)
        self.assertEqual(self.describe(topic)["head_seq"], EVENTS + 50)

    def test_tail_delivers_every_event_to_the_follower(self):
        result = self.bench("tail", "-c", "2", "--batch", "7")
        self.assertMoved(result, "tail")
        self.assertEqual(result["batch"], 7)
        self.assertLatency(result, EVENTS)

    def test_seek_fills_the_topic_and_seeks_n_times(self):
        result = self.bench("seek", "-c", "2")
        self.assertMoved(result, "seek")
        self.assertLatency(result, EVENTS)

    def test_shared_members_split_and_acknowledge_n_events(self):
        result = self.bench("shared", "-c", "3", "--inflight", "16")
        self.assertMoved(result, "shared")
        self.assertIsNone(result["latency"])

    def test_shared_reads_n_events_of_a_long_topic(self):
        topic = self.create_topic("bench-shared-long")
        self.fill(topic, EVENTS + 50)
        result = self.bench("shared", "--topic", topic, "-c", "2")
        self.assertEqual(result["events"], EVENTS)

    def test_bench_creates_a_named_topic_that_does_not_exist(self):
        topic = unique("bench-named")
        result = self.bench("append", "--topic", topic)
        self.assertEqual(result["topic"], topic)
        self.assertEqual(self.describe(topic)["head_seq"], EVENTS)

    def test_every_run_gets_a_new_topic(self):
        first, second = self.bench("append")["topic"], self.bench("append")["topic"]
        self.assertNotEqual(first, second)
        for topic in (first, second):
            self.assertRegex(topic, r"^bench-append-\d+-[0-9a-f]{4}$")

    def test_size_takes_units(self):
        result = self.bench("append", "--size", "1KiB")
        self.assertEqual((result["size"], result["bytes"]), (1024, EVENTS * 1024))

    # -- output -------------------------------------------------------------------------------

    def test_text_has_a_header_line_then_the_figures(self):
        out = self.ok("bench", "append", "-n", EVENTS, "-c", "2")
        header, *figures = out.splitlines()
        self.assertRegex(
            header, rf"^bench append \(100 events per append call\): 2 clients, {EVENTS} events of 100 bytes; "
                    rf"topic bench-append-\S+ on {re.escape(self.server)}, sync: always$")
        self.assertEqual([line.split(":")[0] for line in figures], ["events", "throughput", "latency"])
        self.assertRegex(figures[0], rf"^events:\s+{EVENTS} in \S+ (ns|µs|ms|s)$")
        self.assertRegex(figures[1], r"^throughput:\s+\d+ events/s, \d+\.\d\d MB/s$")
        self.assertRegex(figures[2], r"^latency:\s+p50 .+, p99 .+, p99\.9 .+, max .+ \(per append call of 100 events; 2 samples\)$")

    def test_text_without_latency_for_replay(self):
        out = self.ok("bench", "replay", "-n", EVENTS)
        self.assertEqual([line.split(":")[0] for line in out.splitlines()[1:]], ["events", "throughput"])

    def test_raw_is_one_line_of_numbers(self):
        (line,) = self.ok("bench", "seek", "-n", EVENTS, "-o", "raw").splitlines()
        fields = line.split("\t")
        self.assertEqual(len(fields), 7)
        self.assertEqual(int(fields[0]), EVENTS)
        for field in fields[1:]:
            float(field)


class BenchUsageTests(GoetheTestCase):
    def test_bad_options_are_usage_errors(self):
        cases = [
            (["append", "-n", "0"], "-n/--events must be at least 1"),
            (["append", "-n", "many"], "many"),
            (["append", "-c", "0"], "-c/--clients must be at least 1"),
            (["append", "-c", "5", "-n", "3"], "every client needs an event"),
            (["append", "--batch", "0"], "--batch must be at least 1"),
            (["produce", "--batch", "10"], "--batch does not apply to bench produce"),
            (["seek", "--batch", "10"], "--batch does not apply to bench seek"),
            (["append", "--inflight", "0"], "--inflight must be at least 1"),
            (["produce", "--inflight", "8"], "--inflight does not apply to bench produce"),
            (["append", "--size", "0"], "invalid size"),
            (["append", "--size", "10 parsecs"], "invalid size"),
            (["tail", "--size", "4"], "--size must be at least 8"),
            (["append", "--topic", "no spaces"], "invalid topic name"),
            (["sprint"], "sprint"),
            ([], "mode"),
        ]
        for args, expected in cases:
            with self.subTest(args=args):
                line = self.fails(2, "bench", *args)
                self.assertIn(expected, line)

    def test_unreachable_server_is_4_before_any_output(self):
        code, out, err = run_ctl(["bench", "append", "-n", "10"], server=f"127.0.0.1:{free_port()}")
        self.assertEqual((code, out), (4, ""), err)
        self.assertOneErrorLine(err)
        self.assertIn("cannot reach goethe", err)
