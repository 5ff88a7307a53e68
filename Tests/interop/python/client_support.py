"""What the Python client's scenarios share: channels with grpcio's default options, call statuses
spelled as the gRPC specification spells them, the connectivity states a channel passes through
after it first became ready (a GOAWAY sends it back to IDLE or CONNECTING), and how a scenario says
that it could not run."""

import threading

import grpc

# Every scenario gives up after this long, so that a daemon that never answers cannot hang a test.
SCENARIO_TIMEOUT = 60.0


class SetupFailed(Exception):
    """A call the scenario needs before it can observe anything failed."""


def status_of(error):
    """None for success, else {"code": "RESOURCE_EXHAUSTED", "message": "..."}."""
    if error is None:
        return None
    return {"code": error.code().name, "message": error.details() or ""}


class ConnectionWatch:
    """Records every state a channel passes through after its first READY."""

    def __init__(self, channel):
        self._channel = channel
        self._lock = threading.Lock()
        self._ready = False
        self._left = []
        channel.subscribe(self._changed, try_to_connect=True)

    def _changed(self, state):
        with self._lock:
            if state == grpc.ChannelConnectivity.READY:
                self._ready = True
            elif self._ready:
                self._left.append(state.name)

    def states_after_ready(self):
        self._channel.unsubscribe(self._changed)
        with self._lock:
            return list(self._left)


def channel(addr):
    """A channel with grpcio's default options."""
    return grpc.insecure_channel(addr)
