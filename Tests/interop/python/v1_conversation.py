"""Talking v1 through goethe_v1.proto: producing events and Consume conversations, in which the
client sends cursors through a queue while a thread collects what the server sends back."""

import queue
import threading

import grpc

import goethe_v1_pb2 as v1
import goethe_v1_pb2_grpc as v1_grpc
from client_support import SetupFailed, channel, status_of

# A Consume conversation that has to end sooner than the whole scenario does.
CONVERSATION_TIMEOUT = 10.0


def stub(addr):
    """A v1 stub on a new channel, and the channel (to close)."""
    opened = channel(addr)
    return v1_grpc.GoetheStub(opened), opened


def produce_events(client, topic, count):
    ids = []
    for number in range(1, count + 1):
        try:
            event = client.Produce(v1.Event(topic=v1.Topic(id=topic), payload=f"event {number}".encode()),
                                   timeout=CONVERSATION_TIMEOUT)
        except grpc.RpcError as error:
            raise SetupFailed(f"producing to {topic}: {error.code().name} {error.details()}") from None
        ids.append(event.id)
    return ids


def start_cursor(topic, consumer, start_id=""):
    cursor = v1.Cursor(topic=v1.Topic(id=topic), consumer=consumer)
    if start_id:
        cursor.current_event.CopyFrom(v1.Event(id=start_id, topic=v1.Topic(id=topic)))
    return cursor


class Conversation:
    """One Consume stream, opened with its first cursor."""

    def __init__(self, client, first, timeout=CONVERSATION_TIMEOUT):
        self._outgoing = queue.Queue()
        self._incoming = queue.Queue()
        self._outgoing.put(first)
        self._call = client.Consume(self._requests(), timeout=timeout)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _requests(self):
        while True:
            cursor = self._outgoing.get()
            if cursor is None:
                return
            yield cursor

    def _read(self):
        try:
            for cursor in self._call:
                self._incoming.put((cursor, None))
            self._incoming.put((None, None))
        except grpc.RpcError as error:
            self._incoming.put((None, error))

    def send(self, cursor):
        self._outgoing.put(cursor)

    def receive(self, timeout=None):
        """(cursor, None) for the next event; (None, error) once the stream ended, error None for OK.
        Raises queue.Empty when nothing came within timeout."""
        cursor, error = self._incoming.get(timeout=timeout)
        if cursor is None:
            self._incoming.put((None, error))  # later receives see the end too
        return cursor, error

    def close(self):
        self._outgoing.put(None)
        self._call.cancel()
        self._reader.join(timeout=CONVERSATION_TIMEOUT)


def first_delivery(client, first):
    """The first event a stream opened with `first` delivers, or the status it ends with."""
    conversation = Conversation(client, first)
    try:
        cursor, error = conversation.receive()
    finally:
        conversation.close()
    if cursor is None:
        return {"delivered": None, "status": status_of(error)}
    return {"delivered": cursor.current_event.id, "status": None}


def acknowledge(client, topic, consumer, acks):
    """Opens a stream without a start id and sends back up to `acks` delivered cursors, waiting for
    the event that follows each; returns the ids delivered and the status, if the stream ended."""
    conversation = Conversation(client, start_cursor(topic, consumer))
    delivered = []
    try:
        while True:
            cursor, error = conversation.receive()
            if cursor is None:
                return delivered, status_of(error)
            delivered.append(cursor.current_event.id)
            if len(delivered) > acks:
                return delivered, None
            conversation.send(cursor)
    finally:
        conversation.close()
