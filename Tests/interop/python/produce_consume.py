"""produce-consume: count sequential unary Produce calls on one channel while a v1 Consume stream
on a second channel reads every event, acknowledging each. grpcio, like grpc-go, sends BDP PINGs
as responses arrive, which a server must answer without GOAWAY or refusing calls. The twin of
go/produce_consume.go."""

import threading
import time

import grpc

import goethe_v1_pb2 as v1
import goethe_v1_pb2_grpc as v1_grpc
from client_support import SCENARIO_TIMEOUT, ConnectionWatch, channel, status_of
from v1_conversation import Conversation, start_cursor


# One Produce that takes this long has failed; the load goes no further.
CALL_TIMEOUT = 10.0


def consume_all(client, topic, consumer, count, stop, result):
    """Reads count events on one stream from the consumer's start, sending each received cursor
    back (as v1 clients do) to commit it and ask for the next event."""
    conversation = Conversation(client, start_cursor(topic, consumer), timeout=SCENARIO_TIMEOUT)
    result["conversation"] = conversation
    ids = result["consumed"]
    try:
        while len(ids) < count and not stop.is_set():
            cursor, error = conversation.receive()
            if cursor is None:
                result["error"] = error
                return
            ids.append(cursor.current_event.id)
            if len(ids) < count:
                conversation.send(cursor)
    finally:
        conversation.close()


def run(opts):
    producer_channel, consumer_channel = channel(opts.addr), channel(opts.addr)
    producer_watch, consumer_watch = ConnectionWatch(producer_channel), ConnectionWatch(consumer_channel)
    producer = v1_grpc.GoetheStub(producer_channel)
    consumer = v1_grpc.GoetheStub(consumer_channel)
    produced = []
    produce_error = None
    consumer_result = {"consumed": [], "error": None}
    stop = threading.Event()
    reader = threading.Thread(target=consume_all, daemon=True,
                              args=(consumer, opts.topic, opts.consumer, opts.count, stop, consumer_result))
    deadline = time.monotonic() + SCENARIO_TIMEOUT
    started = time.monotonic()
    for number in range(opts.count):
        try:
            event = producer.Produce(v1.Event(topic=v1.Topic(id=opts.topic), payload=f"event {number}".encode()),
                                     timeout=min(CALL_TIMEOUT, max(0.001, deadline - time.monotonic())))
        except grpc.RpcError as error:
            produce_error = error
            break
        produced.append(event.id)
        if number == 0:
            reader.start()  # the topic exists once its first event does; Consume refuses unknown topics
    produce_elapsed = time.monotonic() - started
    if produce_error is not None and reader.is_alive():
        stop.set()  # the consumer would wait for events that will not come
        conversation = consumer_result.get("conversation")
        if conversation is not None:
            conversation.close()
    if reader.ident is not None:
        reader.join(timeout=max(0.0, deadline - time.monotonic()) + 5)
    elapsed = time.monotonic() - started
    result = {
        "count": opts.count,
        "seconds": elapsed,
        "produce_seconds": produce_elapsed,
        "produced": produced,
        "consumed": list(consumer_result["consumed"]),
        "produce_status": status_of(produce_error),
        "consume_status": status_of(consumer_result["error"]),
        "producer_states_after_ready": producer_watch.states_after_ready(),
        "consumer_states_after_ready": consumer_watch.states_after_ready(),
    }
    producer_channel.close()
    consumer_channel.close()
    return result
