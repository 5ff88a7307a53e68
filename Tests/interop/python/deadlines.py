"""deadline NAME: a call that waits for events that never come, under a 300 ms deadline. The
client must see DEADLINE_EXCEEDED when it passes, however the server's waiting is built. The twin
of go/deadline.go.

    subscribe-follow  Subscribe with follow on a topic created empty
    consume-follow    a v1 Consume at the end of its topic, on a daemon run with --v1-consume-follow
"""

import time

import grpc

from client_support import SetupFailed, status_of

CALL_DEADLINE = 0.3


def subscribe_follow(opts):
    import goethe_pb2 as pb
    from newer_rpcs import stub

    client, opened = stub(opts.addr)
    with opened:
        try:
            client.CreateTopic(pb.CreateTopicRequest(topic=opts.topic), timeout=10)
        except grpc.RpcError as error:
            raise SetupFailed(f"creating {opts.topic}: {error.code().name} {error.details()}") from None
        started = time.monotonic()
        events, error = 0, None
        request = pb.SubscribeRequest(topic=opts.topic, follow=True, **{"from": pb.Position(beginning=True)})
        try:
            for response in client.Subscribe(request, timeout=CALL_DEADLINE):
                events += len(response.events.events)
        except grpc.RpcError as failure:
            error = failure
        return {"status": status_of(error), "elapsed_seconds": time.monotonic() - started, "events": events,
                "deadline_seconds": CALL_DEADLINE}


def consume_follow(opts):
    from v1_conversation import Conversation, produce_events, start_cursor, stub

    client, opened = stub(opts.addr)
    with opened:
        produced = produce_events(client, opts.topic, 1)
        started = time.monotonic()
        conversation = Conversation(client, start_cursor(opts.topic, opts.consumer), timeout=CALL_DEADLINE)
        delivered = []
        try:
            while True:
                cursor, error = conversation.receive()
                if cursor is None:
                    break
                delivered.append(cursor.current_event.id)
                conversation.send(cursor)
        finally:
            conversation.close()
        return {"produced": produced, "delivered": delivered, "status": status_of(error),
                "elapsed_seconds": time.monotonic() - started, "deadline_seconds": CALL_DEADLINE}


def run(opts):
    cases = {"subscribe-follow": subscribe_follow, "consume-follow": consume_follow}
    if opts.name not in cases:
        raise SetupFailed(f"unknown deadline case {opts.name!r}")
    return cases[opts.name](opts)
