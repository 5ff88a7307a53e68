"""v1-case NAME: one step of the contract Goethe v1 clients rely on, through the v1 proto alone.
Each case makes the events it needs in its own topic, then reports ids, first deliveries and
statuses; test_interop.py compares them with the v1 semantics. The twin of go/v1_cases.go."""

import queue
import time

import grpc

import goethe_v1_pb2 as v1
from client_support import SetupFailed, status_of
from v1_conversation import (CONVERSATION_TIMEOUT, Conversation, acknowledge, first_delivery, produce_events,
                             start_cursor, stub)

# How long a follow-mode stream must stay silent at the end of its topic before the next event is
# produced.
QUIET_PERIOD = 0.3


def produce_returns_event(client, opts):
    payloads = [b"first", b"\x00\xff\x10bin"]
    before = time.time_ns()
    events = []
    for payload in payloads:
        event = client.Produce(v1.Event(topic=v1.Topic(id=opts.topic), payload=payload), timeout=CONVERSATION_TIMEOUT)
        events.append({"id": event.id, "topic": event.topic.id, "payload_hex": event.payload.hex()})
    after = time.time_ns()
    return {"sent_payloads_hex": [p.hex() for p in payloads], "events": events, "before_ns": before, "after_ns": after}


def _produce_status(client, event):
    try:
        client.Produce(event, timeout=CONVERSATION_TIMEOUT)
        return None
    except grpc.RpcError as error:
        return status_of(error)


def produce_empty_topic(client, opts):
    return {"empty_topic_id": _produce_status(client, v1.Event(topic=v1.Topic(id=""), payload=b"x")),
            "no_topic": _produce_status(client, v1.Event(payload=b"x"))}


def produce_empty_payload(client, opts):
    return {"status": _produce_status(client, v1.Event(topic=v1.Topic(id=opts.topic)))}


def consume_without_consumer(client, opts):
    produce_events(client, opts.topic, 1)
    return {"first": first_delivery(client, start_cursor(opts.topic, ""))}


def consume_without_topic(client, opts):
    return {"empty_topic_id": first_delivery(client, v1.Cursor(topic=v1.Topic(id=""), consumer=opts.consumer)),
            "no_topic": first_delivery(client, v1.Cursor(consumer=opts.consumer))}


def consume_from_id(client, opts):
    produced = produce_events(client, opts.topic, 3)
    return {"produced": produced, "first": first_delivery(client, start_cursor(opts.topic, opts.consumer, produced[1]))}


def consume_from_unknown_id(client, opts):
    produced = produce_events(client, opts.topic, 3)
    first, second = int(produced[0]), int(produced[1])
    if second - first < 2:
        raise SetupFailed(f"no unused id between {first} and {second}")
    between = str(first + (second - first) // 2)
    return {"produced": produced, "start_id": between,
            "first": first_delivery(client, start_cursor(opts.topic, opts.consumer, between))}


def consume_from_beginning(client, opts):
    produced = produce_events(client, opts.topic, 2)
    return {"produced": produced, "first": first_delivery(client, start_cursor(opts.topic, opts.consumer))}


def consume_from_stored_cursor(client, opts):
    """Acknowledges two events, then opens a new stream without an id."""
    produced = produce_events(client, opts.topic, 3)
    delivered, status = acknowledge(client, opts.topic, opts.consumer, 2)
    return {"produced": produced, "first_stream": delivered, "first_stream_status": status,
            "resumed": first_delivery(client, start_cursor(opts.topic, opts.consumer))}


def consume_commits_each_cursor(client, opts):
    """A stream that acknowledges one event, then one that acknowledges two (the first being the
    event redelivered at the stored cursor), then where a third one starts."""
    produced = produce_events(client, opts.topic, 3)
    streams = []
    for acks in (1, 2):
        delivered, status = acknowledge(client, opts.topic, opts.consumer, acks)
        streams.append({"delivered": delivered, "status": status})
    return {"produced": produced, "streams": streams,
            "resumed": first_delivery(client, start_cursor(opts.topic, opts.consumer))}


def consume_end_of_topic(client, opts):
    produced = produce_events(client, opts.topic, 2)
    delivered, status = acknowledge(client, opts.topic, opts.consumer, 10)
    return {"produced": produced, "delivered": delivered, "status": status}


def consume_unknown_topic(client, opts):
    return {"first": first_delivery(client, start_cursor(opts.topic, opts.consumer))}


def consume_follow(client, opts):
    """Reads to the end of the topic, checks that the stream stays open and silent, then produces
    one more event on another channel and waits for it."""
    produced = produce_events(client, opts.topic, 1)
    conversation = Conversation(client, start_cursor(opts.topic, opts.consumer))
    try:
        first, error = conversation.receive()
        if first is None:
            return {"produced": produced, "status": status_of(error)}
        delivered = [first.current_event.id]
        conversation.send(first)
        quiet = True
        try:
            cursor, error = conversation.receive(timeout=QUIET_PERIOD)
            quiet = False
        except queue.Empty:
            other, other_channel = stub(opts.addr)
            with other_channel:
                produced += produce_events(other, opts.topic, 1)
            cursor, error = conversation.receive()
        if cursor is not None:
            delivered.append(cursor.current_event.id)
        return {"produced": produced, "delivered": delivered, "quiet_at_end": quiet, "status": status_of(error)}
    finally:
        conversation.close()


CASES = {
    "produce-returns-event": produce_returns_event,
    "produce-empty-topic": produce_empty_topic,
    "produce-empty-payload": produce_empty_payload,
    "consume-without-consumer": consume_without_consumer,
    "consume-without-topic": consume_without_topic,
    "consume-from-id": consume_from_id,
    "consume-from-unknown-id": consume_from_unknown_id,
    "consume-from-beginning": consume_from_beginning,
    "consume-from-stored-cursor": consume_from_stored_cursor,
    "consume-commits-each-cursor": consume_commits_each_cursor,
    "consume-end-of-topic": consume_end_of_topic,
    "consume-unknown-topic": consume_unknown_topic,
    "consume-follow": consume_follow,
}


def run(opts):
    if opts.name not in CASES:
        raise SetupFailed(f"unknown v1 case {opts.name!r}")
    client, opened = stub(opts.addr)
    with opened:
        return CASES[opts.name](client, opts)
