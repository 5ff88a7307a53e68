"""The RPCs added after v1, through goethe.proto: newer-rpcs appends a batch and reads part of it
back with Subscribe; topics and cursor report ListTopics and GetCursor, which the tests use to look
behind the v1 cases; cancellations cancels many calls beside a subscription that stays open. The
twin of go/newer_rpcs.go and go/cancellations.go."""

import grpc

import goethe_pb2 as pb
import goethe_pb2_grpc as pb_grpc
from client_support import SCENARIO_TIMEOUT, SetupFailed, channel, status_of

CONVERSATION_TIMEOUT = 10.0
# How long the subscription that stays open may wait for the event appended at the end.
CANCELLATIONS_TIMEOUT = 45.0


def stub(addr):
    opened = channel(addr)
    return pb_grpc.GoetheStub(opened), opened


def newer_rpcs(opts):
    """Appends three payloads in one batch, then subscribes from the beginning with limit 2."""
    payloads = [b"alpha", b"\x00\x01\xfe\xff", b"gamma"]
    client, opened = stub(opts.addr)
    with opened:
        result = {"sent_payloads_hex": [p.hex() for p in payloads]}
        try:
            appended = client.Append(pb.AppendRequest(topic=opts.topic, payloads=payloads), timeout=SCENARIO_TIMEOUT)
        except grpc.RpcError as error:
            result["append_status"] = status_of(error)
            return result
        result["append_status"] = None
        result["append"] = {"topic": appended.topic, "first_event_id": appended.first_event_id,
                            "first_sequence": appended.first_sequence, "count": appended.count}
        starts, events, error = [], [], None
        request = pb.SubscribeRequest(topic=opts.topic, limit=2, **{"from": pb.Position(beginning=True)})
        try:
            for response in client.Subscribe(request, timeout=CONVERSATION_TIMEOUT):
                if response.HasField("start"):
                    start = response.start
                    starts.append({"resolution": pb.StartResolution.Name(start.resolution), "event_id": start.event_id,
                                   "sequence": start.sequence, "head_sequence": start.head_sequence})
                for event in response.events.events:
                    events.append({"id": event.id, "topic": event.topic.id, "sequence": event.sequence,
                                   "time_unix_nano": event.time_unix_nano, "payload_hex": event.payload.hex()})
        except grpc.RpcError as failure:
            error = failure
        result.update(starts=starts, events=events, subscribe_status=status_of(error))
        return result


def topics(opts):
    client, opened = stub(opts.addr)
    with opened:
        try:
            response = client.ListTopics(pb.ListTopicsRequest(), timeout=SCENARIO_TIMEOUT)
        except grpc.RpcError as error:
            raise SetupFailed(f"ListTopics: {error.code().name} {error.details()}") from None
        return {"topics": [topic.name for topic in response.topics]}


def cursor(opts):
    client, opened = stub(opts.addr)
    with opened:
        try:
            info = client.GetCursor(pb.GetCursorRequest(topic=opts.topic, consumer=opts.consumer),
                                    timeout=SCENARIO_TIMEOUT)
        except grpc.RpcError as error:
            return {"status": status_of(error)}
        return {"status": None, "event_id": info.event_id, "sequence": info.sequence}


def cancellations(opts):
    """One following Subscribe stays open while opts.count others are each opened, seen to start
    and cancelled (an RST_STREAM each) on the same connection; then one event is appended, which
    the first subscriber must still receive."""
    client, opened = stub(opts.addr)
    with opened:
        request = pb.SubscribeRequest(topic=opts.topic, follow=True)
        try:
            client.CreateTopic(pb.CreateTopicRequest(topic=opts.topic), timeout=SCENARIO_TIMEOUT)
            long = client.Subscribe(request, timeout=CANCELLATIONS_TIMEOUT)
            next(long)  # its start
            for _ in range(opts.count):
                call = client.Subscribe(request, timeout=SCENARIO_TIMEOUT)
                next(call)
                call.cancel()
        except grpc.RpcError as error:
            raise SetupFailed(f"cancellations: {error.code().name} {error.details()}") from None
        append_status = None
        try:
            client.Append(pb.AppendRequest(topic=opts.topic, payloads=[b"after"]), timeout=SCENARIO_TIMEOUT)
        except grpc.RpcError as error:
            append_status = status_of(error)
        delivered, error = 0, None
        try:
            for response in long:
                delivered += len(response.events.events)
                if delivered:
                    break
        except grpc.RpcError as failure:
            error = failure
        long.cancel()
        return {"cancelled": opts.count, "append_status": append_status, "delivered": delivered,
                "subscribe_status": status_of(error)}
