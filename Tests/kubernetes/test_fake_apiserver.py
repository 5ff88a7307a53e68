"""The fake kube-apiserver (fake_apiserver.py) against the official `kubernetes` Python client.

One real etcd serves the whole module; each class has a fake of its own in front of it. Each test
works in a namespace of its own, so lists see only what the test made.
"""

import base64
import datetime
import http.client
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import unittest
import uuid
from pathlib import Path

import kubernetes
from kubernetes.client import (CoordinationV1Api, CoreV1Api, DiscoveryV1Api, V1ConfigMap, V1DeleteOptions, V1Lease,
                               V1LeaseSpec, V1ObjectMeta, V1Preconditions)
from kubernetes.client.rest import ApiException

import support

ETCD = None
_namespaces = itertools.count(1)


def setUpModule():
    global ETCD
    ETCD = support.Etcd().start()


def tearDownModule():
    if ETCD:
        ETCD.stop()


def fresh_namespace():
    return f"ns-{os.getpid()}-{next(_namespaces)}"


def status_of(error):
    """The Status object in the body of an ApiException."""
    body = error.body.decode() if isinstance(error.body, bytes) else error.body
    return json.loads(body)


def lease(name, holder="a", labels=None, **spec):
    return V1Lease(metadata=V1ObjectMeta(name=name, labels=labels),
                   spec=V1LeaseSpec(holder_identity=holder, lease_duration_seconds=15, **spec))


def config_map(name, labels=None, **data):
    return V1ConfigMap(metadata=V1ObjectMeta(name=name, labels=labels), data=data)


def endpoint_slice(name, service, *addresses, address_type="IPv4"):
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": name, "labels": {"kubernetes.io/service-name": service}},
            "addressType": address_type,
            "endpoints": [{"addresses": [address], "conditions": {"ready": True}} for address in addresses],
            "ports": [{"name": "grpc", "port": 1337, "protocol": "TCP"}]}


class FakeTestCase(unittest.TestCase):
    """A fake in front of the module's etcd, and the three typed APIs of the official client."""

    fake_args = ()

    @classmethod
    def setUpClass(cls):
        cls.fake = support.FakeApiServer(ETCD, *cls.fake_args).start()
        cls.client = support.api_client(cls.fake)
        cls.leases = CoordinationV1Api(cls.client)
        cls.slices = DiscoveryV1Api(cls.client)
        cls.core = CoreV1Api(cls.client)

    @classmethod
    def tearDownClass(cls):
        support.close_client(cls.client)
        cls.fake.stop()

    def setUp(self):
        self.ns = fresh_namespace()

    def assertApiError(self, call, code, reason):
        """Runs `call`, which must fail with HTTP `code` and a Status of that code and reason."""
        with self.assertRaises(ApiException) as raised:
            call()
        status = status_of(raised.exception)
        self.assertEqual(raised.exception.status, code, status)
        self.assertEqual((status["kind"], status["apiVersion"], status["status"]), ("Status", "v1", "Failure"))
        self.assertEqual((status["code"], status.get("reason")), (code, reason), status)
        return status


class ObjectRules(FakeTestCase):
    def test_get_of_a_missing_object_is_404_not_found(self):
        status = self.assertApiError(lambda: self.leases.read_namespaced_lease("nope", self.ns), 404, "NotFound")
        self.assertEqual(status["message"], 'leases.coordination.k8s.io "nope" not found')
        self.assertEqual(status["details"], {"name": "nope", "group": "coordination.k8s.io", "kind": "leases"})
        status = self.assertApiError(lambda: self.core.read_namespaced_config_map("nope", self.ns), 404, "NotFound")
        self.assertEqual(status["message"], 'configmaps "nope" not found')
        self.assertEqual(status["details"], {"name": "nope", "kind": "configmaps"})
        self.assertApiError(lambda: self.slices.read_namespaced_endpoint_slice("nope", self.ns), 404, "NotFound")

    def test_create_fills_the_metadata_and_keeps_labels_and_annotations(self):
        body = lease("meta", labels={"app": "goethe"})
        body.metadata.annotations = {"note": "kept"}
        created = self.leases.create_namespaced_lease(self.ns, body)
        self.assertEqual((created.kind, created.api_version), ("Lease", "coordination.k8s.io/v1"))
        meta = created.metadata
        self.assertEqual((meta.name, meta.namespace), ("meta", self.ns))
        self.assertEqual(str(uuid.UUID(meta.uid)), meta.uid)
        self.assertIsNotNone(meta.creation_timestamp.tzinfo)
        self.assertLess(abs(meta.creation_timestamp.timestamp() - time.time()), 5)
        self.assertEqual((meta.labels, meta.annotations), ({"app": "goethe"}, {"note": "kept"}))
        raw = self.leases.read_namespaced_lease("meta", self.ns, _preload_content=False).data
        self.assertRegex(json.loads(raw)["metadata"]["creationTimestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        fetched = self.leases.read_namespaced_lease("meta", self.ns)
        self.assertEqual((fetched.metadata.uid, fetched.metadata.resource_version), (meta.uid, meta.resource_version))
        self.assertEqual(fetched.spec.holder_identity, "a")

    def test_create_of_an_existing_name_is_409_already_exists(self):
        self.leases.create_namespaced_lease(self.ns, lease("taken"))
        status = self.assertApiError(lambda: self.leases.create_namespaced_lease(self.ns, lease("taken", holder="b")),
                                     409, "AlreadyExists")
        self.assertEqual(status["message"], 'leases.coordination.k8s.io "taken" already exists')
        self.assertEqual(self.leases.read_namespaced_lease("taken", self.ns).spec.holder_identity, "a")
        self.core.create_namespaced_config_map(self.ns, config_map("taken"))
        self.assertApiError(lambda: self.core.create_namespaced_config_map(self.ns, config_map("taken")),
                            409, "AlreadyExists")

    def test_concurrent_creates_of_one_name_let_exactly_one_win(self):
        # Several rounds, as a server that checks and then writes loses such a race only sometimes.
        for round in range(5):
            name = f"contested-{round}"
            barrier = threading.Barrier(8)
            outcomes = []

            def create(holder):
                barrier.wait(timeout=10)
                try:
                    self.leases.create_namespaced_lease(self.ns, lease(name, holder=holder))
                    outcomes.append(("created", holder))
                except ApiException as error:
                    outcomes.append((status_of(error).get("reason"), holder))

            threads = [threading.Thread(target=create, args=(f"h{i}",)) for i in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            winners = [holder for outcome, holder in outcomes if outcome == "created"]
            self.assertEqual(len(winners), 1, outcomes)
            self.assertEqual(sorted(outcome for outcome, _ in outcomes), ["AlreadyExists"] * 7 + ["created"])
            self.assertEqual(self.leases.read_namespaced_lease(name, self.ns).spec.holder_identity, winners[0])

    def test_update_with_a_stale_resource_version_is_409_conflict(self):
        first = self.leases.create_namespaced_lease(self.ns, lease("stale"))
        first.spec.holder_identity = "b"
        second = self.leases.replace_namespaced_lease("stale", self.ns, first)
        self.assertNotEqual(second.metadata.resource_version, first.metadata.resource_version)
        first.spec.holder_identity = "c"  # still carries the first resourceVersion
        status = self.assertApiError(lambda: self.leases.replace_namespaced_lease("stale", self.ns, first),
                                     409, "Conflict")
        self.assertEqual(status["message"], 'Operation cannot be fulfilled on leases.coordination.k8s.io "stale": the '
                         "object has been modified; please apply your changes to the latest version and try again")
        current = self.leases.read_namespaced_lease("stale", self.ns)
        self.assertEqual((current.spec.holder_identity, current.metadata.resource_version),
                         ("b", second.metadata.resource_version))
        made = self.core.create_namespaced_config_map(self.ns, config_map("stale", k="1"))
        self.core.replace_namespaced_config_map("stale", self.ns, config_map("stale", k="2"))
        made.data = {"k": "3"}
        self.assertApiError(lambda: self.core.replace_namespaced_config_map("stale", self.ns, made), 409, "Conflict")
        self.assertEqual(self.core.read_namespaced_config_map("stale", self.ns).data, {"k": "2"})

    def test_lease_update_without_resource_version_is_422_but_others_update_unconditionally(self):
        self.leases.create_namespaced_lease(self.ns, lease("guarded"))
        status = self.assertApiError(
            lambda: self.leases.replace_namespaced_lease("guarded", self.ns, lease("guarded", holder="b")), 422, "Invalid")
        self.assertEqual(status["message"], 'Lease.coordination.k8s.io "guarded" is invalid: metadata.resourceVersion: '
                         "Invalid value: 0x0: must be specified for an update")
        self.assertEqual(status["details"]["causes"], [{"reason": "FieldValueInvalid", "field": "metadata.resourceVersion",
                                                        "message": "Invalid value: 0x0: must be specified for an update"}])
        self.assertEqual(self.leases.read_namespaced_lease("guarded", self.ns).spec.holder_identity, "a")
        made = self.core.create_namespaced_config_map(self.ns, config_map("free", k="1"))
        updated = self.core.replace_namespaced_config_map("free", self.ns, config_map("free", k="2"))
        self.assertEqual(updated.data, {"k": "2"})
        self.assertGreater(int(updated.metadata.resource_version), int(made.metadata.resource_version))
        self.slices.create_namespaced_endpoint_slice(self.ns, endpoint_slice("free", "goethe", "10.0.0.1"))
        updated = self.slices.replace_namespaced_endpoint_slice("free", self.ns,
                                                               endpoint_slice("free", "goethe", "10.0.0.2"))
        self.assertEqual(updated.endpoints[0].addresses, ["10.0.0.2"])

    def test_update_of_a_missing_object_is_404(self):
        body = lease("absent")
        body.metadata.resource_version = "1"
        self.assertApiError(lambda: self.leases.replace_namespaced_lease("absent", self.ns, body), 404, "NotFound")
        self.assertApiError(lambda: self.core.replace_namespaced_config_map("absent", self.ns, config_map("absent")),
                            404, "NotFound")

    def test_resource_version_is_the_etcd_mod_revision(self):
        made = self.leases.create_namespaced_lease(self.ns, lease("rv"))
        key = f"/registry/coordination.k8s.io/leases/{self.ns}/rv"
        self.assertEqual(made.metadata.resource_version, ETCD.get(key)["mod_revision"])
        made.spec.holder_identity = "b"
        updated = self.leases.replace_namespaced_lease("rv", self.ns, made)
        self.assertEqual(updated.metadata.resource_version, ETCD.get(key)["mod_revision"])
        self.assertEqual(self.leases.read_namespaced_lease("rv", self.ns).metadata.resource_version,
                         ETCD.get(key)["mod_revision"])
        cm = self.core.create_namespaced_config_map(self.ns, config_map("rv"))
        self.assertEqual(cm.metadata.resource_version, ETCD.get(f"/registry/core/configmaps/{self.ns}/rv")["mod_revision"])
        listed = self.leases.list_namespaced_lease(self.ns)
        self.assertEqual(listed.metadata.resource_version, str(ETCD.revision()))
        # As in kube-apiserver, the stored object carries no resourceVersion.
        stored = json.loads(base64.b64decode(ETCD.get(key)["value"]))
        self.assertNotIn("resourceVersion", stored["metadata"])

    def test_update_keeps_uid_and_creation_time_and_a_no_op_update_keeps_the_resource_version(self):
        made = self.core.create_namespaced_config_map(self.ns, config_map("same", k="1"))
        body = config_map("same", k="2")
        body.metadata.resource_version = made.metadata.resource_version
        updated = self.core.replace_namespaced_config_map("same", self.ns, body)
        self.assertEqual((updated.metadata.uid, updated.metadata.creation_timestamp),
                         (made.metadata.uid, made.metadata.creation_timestamp))
        again = self.core.replace_namespaced_config_map("same", self.ns, updated)
        self.assertEqual(again.metadata.resource_version, updated.metadata.resource_version)

    def test_delete_returns_a_success_status_and_checks_preconditions(self):
        made = self.leases.create_namespaced_lease(self.ns, lease("gone"))
        made.spec.holder_identity = "b"
        updated = self.leases.replace_namespaced_lease("gone", self.ns, made)
        stale = V1DeleteOptions(preconditions=V1Preconditions(resource_version=made.metadata.resource_version))
        status = self.assertApiError(lambda: self.leases.delete_namespaced_lease("gone", self.ns, body=stale),
                                     409, "Conflict")
        self.assertIn(f"the ResourceVersion in the precondition ({made.metadata.resource_version}) does not match the "
                      f"ResourceVersion in record ({updated.metadata.resource_version})", status["message"])
        current = V1DeleteOptions(preconditions=V1Preconditions(resource_version=updated.metadata.resource_version))
        # The official client returns a V1Status (22.x) or the Status as a dict (recent versions).
        deleted = self.client.sanitize_for_serialization(
            self.leases.delete_namespaced_lease("gone", self.ns, body=current))
        self.assertEqual((deleted["kind"], deleted["status"]), ("Status", "Success"))
        self.assertEqual(deleted["details"], {"name": "gone", "group": "coordination.k8s.io", "kind": "leases",
                                              "uid": made.metadata.uid})
        self.assertIsNone(ETCD.get(f"/registry/coordination.k8s.io/leases/{self.ns}/gone"))
        self.assertApiError(lambda: self.leases.read_namespaced_lease("gone", self.ns), 404, "NotFound")
        self.assertApiError(lambda: self.leases.delete_namespaced_lease("gone", self.ns), 404, "NotFound")
        self.core.create_namespaced_config_map(self.ns, config_map("plain"))
        deleted = self.client.sanitize_for_serialization(self.core.delete_namespaced_config_map("plain", self.ns))
        self.assertEqual(deleted["status"], "Success")

    def test_label_and_field_selectors(self):
        self.core.create_namespaced_config_map(self.ns, config_map("a", {"app": "goethe", "tier": "log"}))
        self.core.create_namespaced_config_map(self.ns, config_map("b", {"app": "goethe", "tier": "meta"}))
        self.core.create_namespaced_config_map(self.ns, config_map("c", {"app": "other"}))

        def names(**selectors):
            return [item.metadata.name for item in self.core.list_namespaced_config_map(self.ns, **selectors).items]

        self.assertEqual(names(), ["a", "b", "c"])
        self.assertEqual(names(label_selector="app=goethe"), ["a", "b"])
        self.assertEqual(names(label_selector="app==goethe,tier=log"), ["a"])
        self.assertEqual(names(label_selector="app!=goethe"), ["c"])
        self.assertEqual(names(label_selector="tier!=log"), ["b", "c"])
        self.assertEqual(names(label_selector="tier"), ["a", "b"])
        self.assertEqual(names(label_selector="!tier"), ["c"])
        self.assertEqual(names(label_selector="tier in (log, meta),app=goethe"), ["a", "b"])
        self.assertEqual(names(label_selector="app notin (goethe)"), ["c"])
        self.assertEqual(names(field_selector="metadata.name=b"), ["b"])
        self.assertEqual(names(field_selector="metadata.name!=b", label_selector="app=goethe"), ["a"])
        self.assertEqual(names(field_selector=f"metadata.namespace={self.ns}"), ["a", "b", "c"])
        self.assertApiError(lambda: names(field_selector="data.x=1"), 400, "BadRequest")
        listed = self.core.list_namespaced_config_map(self.ns)
        self.assertEqual(listed.kind, "ConfigMapList")

    def test_lists_across_namespaces(self):
        other = fresh_namespace()
        marker = {"run": self.ns}
        self.leases.create_namespaced_lease(self.ns, lease("x", labels=marker))
        self.leases.create_namespaced_lease(other, lease("y", labels=marker))
        listed = self.leases.list_lease_for_all_namespaces(label_selector=f"run={self.ns}")
        self.assertEqual(sorted((i.metadata.namespace, i.metadata.name) for i in listed.items),
                         sorted([(self.ns, "x"), (other, "y")]))

    def test_endpoint_slices(self):
        made = self.slices.create_namespaced_endpoint_slice(self.ns, endpoint_slice("goethe-1", "goethe", "10.0.0.1", "10.0.0.2"))
        self.assertEqual((made.kind, made.address_type, made.metadata.generation), ("EndpointSlice", "IPv4", 1))
        self.assertEqual([e.addresses for e in made.endpoints], [["10.0.0.1"], ["10.0.0.2"]])
        self.assertEqual([(p.name, p.port) for p in made.ports], [("grpc", 1337)])
        self.slices.create_namespaced_endpoint_slice(self.ns, endpoint_slice("other-1", "other", "10.0.0.3"))
        listed = self.slices.list_namespaced_endpoint_slice(self.ns, label_selector="kubernetes.io/service-name=goethe")
        self.assertEqual([item.metadata.name for item in listed.items], ["goethe-1"])
        status = self.assertApiError(lambda: self.slices.create_namespaced_endpoint_slice(
            self.ns, endpoint_slice("bad", "goethe", "not-an-address")), 422, "Invalid")
        self.assertEqual(status["details"]["kind"], "EndpointSlice")
        self.assertEqual(status["details"]["causes"][0]["field"], "endpoints[0].addresses[0]")

    def test_merge_patch(self):
        self.core.create_namespaced_config_map(self.ns, config_map("patched", keep="1", change="1"))
        patched = self.core.patch_namespaced_config_map("patched", self.ns, {"data": {"change": "2", "new": "3"}})
        self.assertEqual(patched.data, {"keep": "1", "change": "2", "new": "3"})
        stale = {"metadata": {"resourceVersion": "1"}, "data": {"keep": None}}
        self.assertApiError(lambda: self.core.patch_namespaced_config_map("patched", self.ns, stale), 409, "Conflict")
        self.leases.create_namespaced_lease(self.ns, lease("patched"))
        renewed = self.leases.patch_namespaced_lease("patched", self.ns, {"spec": {"holderIdentity": "b"}})
        self.assertEqual(renewed.spec.holder_identity, "b")


class Watches(FakeTestCase):
    def collect(self, watch, func, *args, count, **kwargs):
        """The first `count` events of a watch (timeout_seconds bounds it)."""
        events = []
        for event in watch.stream(func, *args, **kwargs):
            events.append(event)
            if len(events) == count:
                watch.stop()
                break
        return events

    def test_watch_from_a_resource_version_delivers_added_modified_deleted_in_order(self):
        since = self.leases.list_namespaced_lease(self.ns).metadata.resource_version
        made = self.leases.create_namespaced_lease(self.ns, lease("w"))
        made.spec.holder_identity = "b"
        updated = self.leases.replace_namespaced_lease("w", self.ns, made)
        self.leases.delete_namespaced_lease("w", self.ns)
        deletion_revision = str(ETCD.revision())
        events = self.collect(kubernetes.watch.Watch(), self.leases.list_namespaced_lease, self.ns, count=3,
                              resource_version=since, timeout_seconds=10)
        self.assertEqual([e["type"] for e in events], ["ADDED", "MODIFIED", "DELETED"])
        self.assertEqual([e["object"].metadata.resource_version for e in events],
                         [made.metadata.resource_version, updated.metadata.resource_version, deletion_revision])
        self.assertEqual([e["object"].spec.holder_identity for e in events], ["a", "b", "b"])
        self.assertEqual({(e["raw_object"]["kind"], e["raw_object"]["apiVersion"]) for e in events},
                         {("Lease", "coordination.k8s.io/v1")})

    def test_watch_without_resource_version_starts_with_the_current_objects_then_follows_changes(self):
        self.core.create_namespaced_config_map(self.ns, config_map("one", v="1"))
        self.core.create_namespaced_config_map(self.ns, config_map("two", v="1"))
        watch = kubernetes.watch.Watch()
        stream = watch.stream(self.core.list_namespaced_config_map, self.ns, timeout_seconds=10)
        self.assertEqual([(e["type"], e["object"].metadata.name) for e in itertools.islice(stream, 2)],
                         [("ADDED", "one"), ("ADDED", "two")])
        self.core.replace_namespaced_config_map("one", self.ns, config_map("one", v="2"))
        self.core.delete_namespaced_config_map("two", self.ns)
        self.core.create_namespaced_config_map(self.ns, config_map("three"))
        events = [(e["type"], e["object"].metadata.name) for e in itertools.islice(stream, 3)]
        watch.stop()
        self.assertEqual(events, [("MODIFIED", "one"), ("DELETED", "two"), ("ADDED", "three")])

    def test_watch_selectors_turn_label_changes_into_added_and_deleted(self):
        since = self.core.list_namespaced_config_map(self.ns).metadata.resource_version
        self.core.create_namespaced_config_map(self.ns, config_map("s", {"role": "none"}))
        self.core.create_namespaced_config_map(self.ns, config_map("unrelated", {"role": "member"}))
        self.core.replace_namespaced_config_map("s", self.ns, config_map("s", {"role": "member"}))
        self.core.replace_namespaced_config_map("s", self.ns, config_map("s", {"role": "member"}, x="1"))
        left = self.core.replace_namespaced_config_map("s", self.ns, config_map("s", {"role": "none"}))
        events = self.collect(kubernetes.watch.Watch(), self.core.list_namespaced_config_map, self.ns, count=3,
                              resource_version=since, label_selector="role=member", field_selector="metadata.name=s",
                              timeout_seconds=10)
        self.assertEqual([e["type"] for e in events], ["ADDED", "MODIFIED", "DELETED"])
        # Leaving the selection is DELETED with the last matching state, at the change's resourceVersion.
        self.assertEqual(events[2]["object"].metadata.labels, {"role": "member"})
        self.assertEqual(events[2]["object"].metadata.resource_version, left.metadata.resource_version)

    def test_watch_from_a_compacted_revision_is_410_expired(self):
        old = self.leases.create_namespaced_lease(self.ns, lease("old")).metadata.resource_version
        for holder in ("b", "c"):
            current = self.leases.read_namespaced_lease("old", self.ns)
            current.spec.holder_identity = holder
            self.leases.replace_namespaced_lease("old", self.ns, current)
        compacted = ETCD.revision()
        ETCD.compact(compacted)
        # On the wire: a 200 stream of one ERROR event holding a 410 Expired Status, then its end.
        response = self.leases.list_namespaced_lease(self.ns, watch=True, resource_version=old, timeout_seconds=10,
                                                     _preload_content=False)
        self.assertEqual(response.status, 200)
        self.assertEqual(response.headers["Content-Type"], "application/json")
        self.assertEqual(response.headers["Transfer-Encoding"], "chunked")
        lines = response.read().decode().splitlines()
        self.assertEqual(len(lines), 1, lines)
        event = json.loads(lines[0])
        self.assertEqual(event["type"], "ERROR")
        self.assertEqual(event["object"], {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                           "message": f"too old resource version: {old} ({compacted - 1})",
                                           "reason": "Expired", "code": 410})
        # The official client yields no ERROR event: it raises ApiException 410, at once with
        # timeout_seconds, else after one retry from the same resourceVersion.
        for extra in ({"timeout_seconds": 10}, {}):
            with self.assertRaises(ApiException) as raised:
                for event in kubernetes.watch.Watch().stream(self.leases.list_namespaced_lease, self.ns,
                                                             resource_version=old, **extra):
                    self.fail(f"an event from a compacted revision: {event}")
            self.assertEqual(raised.exception.status, 410)
            self.assertIn("Expired: too old resource version", raised.exception.reason)
        # From the compaction's revision on, watching works.
        events = self.collect(kubernetes.watch.Watch(), self.leases.list_namespaced_lease, self.ns, count=1,
                              resource_version=str(compacted - 1), timeout_seconds=10)
        self.assertEqual((events[0]["type"], events[0]["object"].spec.holder_identity), ("MODIFIED", "c"))

    def test_watch_ends_at_timeout_seconds_after_a_bookmark(self):
        listed = self.core.list_namespaced_config_map(self.ns).metadata.resource_version
        started = time.monotonic()
        events = list(kubernetes.watch.Watch().stream(self.core.list_namespaced_config_map, self.ns,
                                                      timeout_seconds=3, allow_watch_bookmarks=True))
        elapsed = time.monotonic() - started
        self.assertGreaterEqual(elapsed, 2.9)
        self.assertLess(elapsed, 6)
        self.assertEqual([e["type"] for e in events], ["BOOKMARK"])
        self.assertEqual(events[0]["raw_object"]["metadata"]["resourceVersion"], listed)
        self.assertEqual(events[0]["raw_object"]["kind"], "ConfigMap")

    def test_a_client_that_goes_away_ends_the_watch_and_its_etcd_watch(self):
        watchers = "etcd_debugging_mvcc_watcher_total"
        support.wait_for(lambda: ETCD.metric(watchers) == 0, 10, "etcd still has watches of earlier tests")
        connection = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=10)
        connection.request("GET", f"/api/v1/namespaces/{self.ns}/configmaps?watch=true")
        response = connection.getresponse()
        self.assertEqual(response.status, 200)
        support.wait_for(lambda: ETCD.metric(watchers) == 1, 10, "the fake opened no etcd watch")
        response.close()
        connection.close()
        support.wait_for(lambda: ETCD.metric(watchers) == 0, 10, "the etcd watch outlived its client")


class TokenAuthentication(FakeTestCase):
    @classmethod
    def setUpClass(cls):
        cls.directory = Path(tempfile.mkdtemp(prefix="goethe-k8s-token-"))
        cls.token_file = cls.directory / "token"
        cls.token_file.write_text("first-token\n")
        cls.fake_args = ("--token-file", cls.token_file)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.directory, ignore_errors=True)

    def rotate(self, token):
        """Replaces the token file as the kubelet does a projected token: a new file renamed over."""
        scratch = self.directory / "token.new"
        scratch.write_text(token)
        os.replace(scratch, self.token_file)

    def api_with(self, token):
        client = support.api_client(self.fake, token=token)
        self.addCleanup(support.close_client, client)
        return CoreV1Api(client)

    def test_a_missing_or_wrong_token_is_401_and_a_rotated_token_is_read_again(self):
        self.rotate("first-token\n")
        status = self.assertApiError(lambda: self.core.list_namespaced_config_map(self.ns), 401, "Unauthorized")
        self.assertEqual(status["message"], "Unauthorized")
        self.assertApiError(lambda: self.api_with("wrong").list_namespaced_config_map(self.ns), 401, "Unauthorized")
        first, second = self.api_with("first-token"), self.api_with("second-token")
        first.create_namespaced_config_map(self.ns, config_map("authorized"))
        self.assertApiError(lambda: second.list_namespaced_config_map(self.ns), 401, "Unauthorized")
        self.rotate("second-token")
        self.assertEqual([i.metadata.name for i in second.list_namespaced_config_map(self.ns).items], ["authorized"])
        self.assertApiError(lambda: first.read_namespaced_config_map("authorized", self.ns), 401, "Unauthorized")
        with self.assertRaises(ApiException) as raised:
            list(kubernetes.watch.Watch().stream(first.list_namespaced_config_map, self.ns, timeout_seconds=5))
        self.assertEqual(raised.exception.status, 401)


class Tls(FakeTestCase):
    @classmethod
    def setUpClass(cls):
        if not shutil.which("openssl"):
            raise unittest.SkipTest("no openssl to make a certificate with")
        cls.directory = Path(tempfile.mkdtemp(prefix="goethe-k8s-tls-"))
        cls.cert, key = cls.directory / "cert.pem", cls.directory / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", str(key), "-out", str(cls.cert)], check=True, capture_output=True, timeout=30)
        cls.fake_args = ("--tls-cert", cls.cert, "--tls-key", key)
        super().setUpClass()
        support.close_client(cls.client)
        cls.client = support.api_client(cls.fake, ca_file=cls.cert)
        cls.core = CoreV1Api(cls.client)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.directory, ignore_errors=True)

    def test_serves_https(self):
        self.assertTrue(self.fake.url.startswith("https://"))
        self.core.create_namespaced_config_map(self.ns, config_map("secure", k="v"))
        self.assertEqual(self.core.read_namespaced_config_map("secure", self.ns).data, {"k": "v"})
        watch = kubernetes.watch.Watch()
        for event in watch.stream(self.core.list_namespaced_config_map, self.ns, timeout_seconds=10):
            self.assertEqual((event["type"], event["object"].metadata.name), ("ADDED", "secure"))
            watch.stop()
            break
        plain = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=10)
        with self.assertRaises((OSError, http.client.HTTPException)):
            plain.request("GET", f"/api/v1/namespaces/{self.ns}/configmaps")
            plain.getresponse().read()
        plain.close()


# ---------------------------------------------------------------------------------------------
# Leader election as client-go's leaderelection package does it, with short durations.

LEASE_SECONDS = 1  # leaseDurationSeconds
RENEW_DEADLINE = 0.6  # a leader that could not renew for this long stops believing it leads
RETRY_PERIOD = 0.1


class Candidate:
    """One contender: reads the Lease, creates it, takes an expired one over or renews its own by a
    resourceVersion-guarded PUT; a 409 means another won. It believes it leads until
    RENEW_DEADLINE after the start of its last successful round; another takes over only after
    seeing the same record for LEASE_SECONDS, so two beliefs can overlap only if the server lets a
    stale write through."""

    def __init__(self, identity, api_client, namespace, name, before_first_write=None):
        self.identity, self.namespace, self.name = identity, namespace, name
        self.api = CoordinationV1Api(api_client)
        self.before_first_write = before_first_write
        self.leading_until = 0.0  # time.monotonic() until which it believes it leads
        self.terms = []  # [first, last] moments of each stretch of belief
        self.acquisitions = []  # (moment, leaseTransitions written) of each takeover
        self.renewals = 0
        self.conflicts = 0
        self.errors = []
        self.observed_version, self.observed_at = None, 0.0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def leads(self, moment):
        return moment < self.leading_until

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopped.set()
        self.thread.join(timeout=10)

    def run(self):
        while not self.stopped.is_set():
            try:
                self.try_acquire_or_renew()
            except Exception as error:  # noqa: BLE001 - reported by the test
                self.errors.append(repr(error))
            self.stopped.wait(RETRY_PERIOD)

    def try_acquire_or_renew(self):
        started = time.monotonic()
        now = datetime.datetime.now(datetime.timezone.utc)
        try:
            current = self.api.read_namespaced_lease(self.name, self.namespace, _request_timeout=5)
        except ApiException as error:
            if error.status != 404:
                raise
            current = None
        if current is None:
            acquiring = True
            body = V1Lease(metadata=V1ObjectMeta(name=self.name), spec=V1LeaseSpec(
                holder_identity=self.identity, lease_duration_seconds=LEASE_SECONDS, acquire_time=now, renew_time=now,
                lease_transitions=0))

            def write():
                return self.api.create_namespaced_lease(self.namespace, body, _request_timeout=5)
        else:
            spec = current.spec
            if current.metadata.resource_version != self.observed_version:
                self.observed_version, self.observed_at = current.metadata.resource_version, time.monotonic()
            held = spec.holder_identity and spec.holder_identity != self.identity
            if held and time.monotonic() < self.observed_at + spec.lease_duration_seconds:
                return  # another's lease, not expired
            acquiring = spec.holder_identity != self.identity
            if acquiring:
                spec.holder_identity, spec.acquire_time = self.identity, now
                spec.lease_transitions = (spec.lease_transitions or 0) + 1
            spec.renew_time, spec.lease_duration_seconds = now, LEASE_SECONDS

            def write():
                return self.api.replace_namespaced_lease(self.name, self.namespace, current, _request_timeout=5)
        if self.before_first_write:
            hook, self.before_first_write = self.before_first_write, None
            hook()
        try:
            written = write()
        except ApiException as error:
            if error.status != 409:
                raise
            self.conflicts += 1  # another candidate wrote first: lost
            return
        received = time.monotonic()
        if acquiring or not self.terms or received >= self.leading_until:
            self.terms.append([received, received])
        self.leading_until = started + RENEW_DEADLINE
        self.terms[-1][1] = max(received, self.leading_until)
        self.observed_version, self.observed_at = written.metadata.resource_version, received
        if acquiring:
            self.acquisitions.append((received, written.spec.lease_transitions))
        else:
            self.renewals += 1


class LeaderElection(FakeTestCase):
    def test_two_candidates_never_lead_at_once_and_a_silent_leader_is_replaced(self):
        name = "goethe-leader"
        # A lease left by a departed leader: both candidates see it expire and race for it.
        departed = V1Lease(metadata=V1ObjectMeta(name=name), spec=V1LeaseSpec(
            holder_identity="departed", lease_duration_seconds=LEASE_SECONDS, lease_transitions=3,
            acquire_time=datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1),
            renew_time=datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1)))
        self.leases.create_namespaced_lease(self.ns, departed)
        # Both read the expired lease before either writes, so both PUT the same resourceVersion.
        together = threading.Barrier(2, timeout=10)
        clients = [support.api_client(self.fake) for _ in range(3)]
        for client in clients:
            self.addCleanup(support.close_client, client)
        candidates = [Candidate(identity, client, self.ns, name, hook)
                      for identity, client, hook in (("a", clients[0], together.wait), ("b", clients[1], together.wait))]
        overlaps = []
        sampling = threading.Event()

        def sample():
            while not sampling.is_set():
                moment = time.monotonic()
                leaders = [c.identity for c in list(candidates) if c.leads(moment)]
                if len(leaders) > 1:
                    overlaps.append((moment, leaders))
                time.sleep(0.002)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            for candidate in candidates:
                candidate.start()
            leader = support.wait_for(lambda: next((c for c in candidates if c.acquisitions), None), 10,
                                      "nobody took the expired lease over")
            follower = next(c for c in candidates if c is not leader)
            support.wait_for(lambda: follower.conflicts or follower.acquisitions, 5, "the follower never wrote")
            support.wait_for(lambda: leader.renewals >= 8, 10, "the leader does not renew")
            self.assertEqual(follower.acquisitions, [], "the follower took over a lease being renewed")

            # The leader stops renewing: the follower takes over once the lease expires.
            leader.stop()
            stopped = time.monotonic()
            support.wait_for(lambda: follower.acquisitions, 10, "the follower did not take over")
            self.assertLess(follower.acquisitions[0][0] - stopped, LEASE_SECONDS + 1.5)
            self.assertGreater(follower.acquisitions[0][0], leader.terms[-1][1])

            # A third candidate waits while the follower leads, and replaces it when it stops too.
            third = Candidate("c", clients[2], self.ns, name).start()
            candidates.append(third)
            support.wait_for(lambda: follower.renewals >= 5, 10, "the new leader does not renew")
            self.assertEqual(third.acquisitions, [])
            follower.stop()
            support.wait_for(lambda: third.acquisitions, 10, "the third candidate did not take over")
            support.wait_for(lambda: third.renewals >= 2, 10, "the third candidate does not renew")
        finally:
            for candidate in candidates:
                candidate.stop()
            sampling.set()
            sampler.join(timeout=10)

        for candidate in candidates:
            self.assertEqual(candidate.errors, [], candidate.identity)
        self.assertEqual(overlaps[:5], [], "two candidates believed they led at once")
        terms = sorted((first, last, c.identity) for c in candidates for first, last in c.terms)
        for (_, end, who), (start, _, next_who) in zip(terms, terms[1:]):
            self.assertLess(end, start, f"{who}'s and {next_who}'s terms overlap: {terms}")
        acquisitions = sorted((moment, transitions, c.identity) for c in candidates for moment, transitions in c.acquisitions)
        self.assertEqual([(transitions, who) for _, transitions, who in acquisitions],
                         [(4, leader.identity), (5, follower.identity), (6, "c")])
        final = self.leases.read_namespaced_lease(name, self.ns)
        self.assertEqual((final.spec.holder_identity, final.spec.lease_transitions), ("c", 6))
        self.assertRegex(json.loads(self.leases.read_namespaced_lease(name, self.ns, _preload_content=False).data)
                         ["spec"]["renewTime"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


if __name__ == "__main__":
    unittest.main()
