#!/usr/bin/env python3
"""A small, faithful fake of the Kubernetes API server, storing objects in a real etcd 3.4.

It serves the three resources goethe's Kubernetes coordinator uses, namespaced, as JSON:

    coordination.k8s.io/v1 leases      /apis/coordination.k8s.io/v1/namespaces/NS/leases[/NAME]
    discovery.k8s.io/v1 endpointslices /apis/discovery.k8s.io/v1/namespaces/NS/endpointslices[/NAME]
    v1 configmaps                      /api/v1/namespaces/NS/configmaps[/NAME]

and each collection across namespaces without the `/namespaces/NS` part (list and watch only),
plus /healthz, /livez, /readyz and /version.

    fake_apiserver.py --etcd http://127.0.0.1:PORT [--host 127.0.0.1] [--port 0]
                      [--token-file FILE] [--tls-cert PEM --tls-key PEM]

Once bound it prints one line, `listening on HOST:PORT`, to stdout (port 0 picks a free port).

Storage. Objects are JSON under /registry/<group or "core">/<resource>/<namespace>/<name>, read
and written through etcd's v3 JSON gateway (/v3/kv/range, /v3/kv/txn, /v3/kv/deleterange, the
streaming /v3/watch). As in kube-apiserver, the stored bytes carry no resourceVersion: an object's
resourceVersion is its key's etcd mod_revision and a list's is the etcd revision it was read at.

The rules of kube-apiserver it follows:
- create: 201; the name must be a DNS subdomain (or generateName is completed with 5 random
  characters); uid, creationTimestamp and the namespace are set by the server; a set
  resourceVersion is refused (500, as kube-apiserver's storage layer does); an existing name is
  409 AlreadyExists, decided by an etcd transaction on create_revision == 0.
- update (PUT): 404 when missing; a body resourceVersion other than the current one is 409
  Conflict, decided by a transaction on mod_revision; without resourceVersion a Lease is 422
  Invalid (the lease strategy disallows unconditional updates) while ConfigMaps and
  EndpointSlices are updated unconditionally; uid and creationTimestamp are kept; an update that
  changes nothing writes nothing and keeps the resourceVersion.
- patch: JSON merge patch; a strategic merge patch is applied as a merge patch, which is the same
  thing for these three types except for metadata.ownerReferences and finalizers; a
  resourceVersion in the patch is a precondition.
- delete: 404 when missing; DeleteOptions preconditions (resourceVersion, uid) are checked, 409
  when they do not hold; the answer is a Success Status, as for these resources.
- list: labelSelector (k=v, k==v, k!=v, k, !k, k in (a,b), k notin (a,b), ANDed by commas) and
  fieldSelector (metadata.name, metadata.namespace; =, ==, !=); items carry no kind/apiVersion.
- watch (?watch=true; booleans are read as Go's ParseBool does): a chunked stream of one JSON
  event a line. Without resourceVersion (or "0") first ADDED for every current object, then the
  changes; with resourceVersion R the changes after R. An object that starts or stops matching
  the selectors is ADDED or DELETED; DELETED carries the last state with the resourceVersion of
  the deletion. R older than etcd's compaction gives one ERROR event, a 410 Expired Status "too
  old resource version: R (OLDEST)", and the end of the stream. allowWatchBookmarks: a BOOKMARK
  every minute and 2 s before timeoutSeconds ends the stream (30 minutes by default); a client
  that goes away ends the stream and its etcd watch.
- errors are Status objects with kube-apiserver's reasons, messages, details and HTTP codes.
- --token-file: every request needs `Authorization: Bearer <the file's content, stripped>`,
  re-read on each request (projected tokens rotate); else 401 Unauthorized.
- --tls-cert/--tls-key: HTTPS instead of HTTP.

Left out: every other resource and API discovery, namespaces (any namespace is accepted),
admission, RBAC, JSON patch and server-side apply, DELETE of a collection, dryRun, limit/continue
(lists come whole), get and list at an older resourceVersion, a watch from a resourceVersion newer
than etcd's (it waits for it instead of failing), managedFields, finalizers and graceful deletion,
watches of a single object by its URL, protobuf, and validation beyond names, a few Lease fields
(durations, transitions, times, normalised to microseconds in UTC), EndpointSlice addressType and
addresses, and ConfigMap keys.
"""

import argparse
import base64
import datetime
import hmac
import http.client
import ipaddress
import json
import math
import queue
import random
import re
import signal
import socket
import ssl
import sys
import threading
import time
import traceback
import urllib.parse
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

DEFAULT_WATCH_TIMEOUT = 1800.0  # kube-apiserver: a random 30 to 60 minutes
BOOKMARK_INTERVAL = 60.0


# ---------------------------------------------------------------------------------------------
# etcd through its v3 JSON gateway: keys and values are base64, numbers are decimal strings.


def b64(text):
    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


def prefix_end(prefix):
    """The range_end that makes a range of every key starting with `prefix`."""
    raw = prefix.encode()
    return b64(raw[:-1] + bytes([raw[-1] + 1]))


class EtcdError(Exception):
    pass


class Etcd:
    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise SystemExit(f"--etcd: expected http://HOST:PORT, got {url}")
        self.host, self.port = parts.hostname, parts.port or 2379

    def call(self, method, body):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request("POST", "/v3/" + method, json.dumps(body), {"Content-Type": "application/json"})
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            raise EtcdError(f"etcd {method}: {error}") from error
        finally:
            connection.close()
        if response.status != 200:
            raise EtcdError(f"etcd {method}: HTTP {response.status}: {data[:300]!r}")
        return json.loads(data)

    def get(self, key):
        """The key's kv, or None."""
        kvs = self.call("kv/range", {"key": b64(key)}).get("kvs") or []
        return kvs[0] if kvs else None

    def range_prefix(self, prefix):
        """(kvs in key order, the revision they were read at)."""
        answer = self.call("kv/range", {"key": b64(prefix), "range_end": prefix_end(prefix)})
        return answer.get("kvs") or [], int(answer["header"]["revision"])

    def txn(self, compare, success):
        """(succeeded, header revision) of a transaction."""
        answer = self.call("kv/txn", {"compare": [compare], "success": [success]})
        return bool(answer.get("succeeded")), int(answer["header"]["revision"])


class EtcdWatch:
    """An etcd watch of a key prefix, read on a thread into `results` (None once it has ended)."""

    def __init__(self, etcd, prefix, start_revision):
        self.results = queue.Queue()
        self.connection = http.client.HTTPConnection(etcd.host, etcd.port, timeout=10)
        request = {"create_request": {"key": b64(prefix), "range_end": prefix_end(prefix),
                                      "start_revision": str(start_revision), "prev_kv": True}}
        try:
            self.connection.connect()
            self.socket = self.connection.sock
            self.connection.request("POST", "/v3/watch", json.dumps(request), {"Content-Type": "application/json"})
            self.response = self.connection.getresponse()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            raise EtcdError(f"etcd watch: {error}") from error
        if self.response.status != 200:
            self.connection.close()
            raise EtcdError(f"etcd watch: HTTP {self.response.status}")
        self.socket.settimeout(None)  # a quiet watch is not an error; close() ends it
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for line in iter(self.response.readline, b""):
                if line.strip():
                    message = json.loads(line)
                    if "error" in message:  # the gateway's report of a gRPC error
                        self.results.put({"canceled": True, "cancel_reason": str(message["error"])})
                        break
                    self.results.put(message.get("result") or {})
        except (OSError, ValueError, http.client.HTTPException):
            pass
        finally:
            self.results.put(None)

    def close(self):
        try:
            self.socket.shutdown(socket.SHUT_RDWR)  # wakes the reading thread
        except OSError:
            pass
        self.connection.close()


def decode_kv(kv, resource_version=None):
    """The stored object of an etcd kv, with its resourceVersion."""
    obj = json.loads(base64.b64decode(kv.get("value", "")))
    obj["metadata"]["resourceVersion"] = str(resource_version or kv["mod_revision"])
    return obj


def encode_object(obj):
    """The bytes stored for an object: canonical JSON without resourceVersion."""
    stored = dict(obj, metadata={k: v for k, v in obj["metadata"].items() if k != "resourceVersion"})
    return json.dumps(stored, sort_keys=True, separators=(",", ":"))


# ---------------------------------------------------------------------------------------------
# Errors: kube-apiserver's Status objects.


class ApiError(Exception):
    def __init__(self, code, reason, message, details=None):
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details

    def status(self):
        status = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                  "message": self.message, "reason": self.reason, "code": self.code}
        if not self.reason:
            del status["reason"]  # an error kube-apiserver does not classify (StatusReasonUnknown)
        if self.details:
            status["details"] = self.details
        return status


def bad_request(message):
    return ApiError(400, "BadRequest", message)


def not_found(resource, name):
    return ApiError(404, "NotFound", f'{resource.qualified} "{name}" not found', resource.details(name))


def already_exists(resource, name):
    return ApiError(409, "AlreadyExists", f'{resource.qualified} "{name}" already exists', resource.details(name))


def conflict(resource, name, why="the object has been modified; please apply your changes to the latest version "
             "and try again"):
    return ApiError(409, "Conflict", f'Operation cannot be fulfilled on {resource.qualified} "{name}": {why}',
                    resource.details(name))


def invalid(resource, name, causes):
    """422 Invalid; causes are (field, reason, text) as Go's field.Error renders them."""
    errors = [f"{field}: {text}" for field, _, text in causes]
    listed = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
    details = {"name": name, "group": resource.group, "kind": resource.kind,
               "causes": [{"reason": reason, "message": text, "field": field} for field, reason, text in causes]}
    return ApiError(422, "Invalid", f'{resource.group_kind} "{name}" is invalid: {listed}',
                    {k: v for k, v in details.items() if v})


def field_invalid(field, value, detail):
    shown = json.dumps(value) if isinstance(value, str) else value
    return (field, "FieldValueInvalid", f"Invalid value: {shown}: {detail}")


def field_required(field, detail):
    return (field, "FieldValueRequired", f"Required value: {detail}")


# ---------------------------------------------------------------------------------------------
# Resources and their validation.

DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
CONFIG_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


def micro_time(obj, path):
    """Normalises a MicroTime field to kube's RFC 3339 form with microseconds in UTC."""
    holder = obj.get("spec") or {}
    value = holder.get(path)
    if value is None:
        return
    try:
        parsed = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            raise ValueError("no time zone")
    except ValueError as error:
        raise bad_request(f'parsing time "{value}" as RFC 3339: {error}') from error
    holder[path] = parsed.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def validate_lease(obj):
    spec = obj.get("spec") or {}
    micro_time(obj, "acquireTime")
    micro_time(obj, "renewTime")
    causes = []
    duration = spec.get("leaseDurationSeconds")
    if duration is not None and (not isinstance(duration, int) or duration <= 0):
        causes.append(field_invalid("spec.leaseDurationSeconds", duration, "must be greater than 0"))
    transitions = spec.get("leaseTransitions")
    if transitions is not None and (not isinstance(transitions, int) or transitions < 0):
        causes.append(field_invalid("spec.leaseTransitions", transitions, "must be greater than or equal to 0"))
    return causes


def validate_endpoint_slice(obj):
    address_type = obj.get("addressType")
    if not address_type:
        return [field_required("addressType", "")]
    if address_type not in ("IPv4", "IPv6", "FQDN"):
        return [("addressType", "FieldValueNotSupported",
                 f'Unsupported value: "{address_type}": supported values: "FQDN", "IPv4", "IPv6"')]
    causes = []
    for i, endpoint in enumerate(obj.get("endpoints") or []):
        addresses = endpoint.get("addresses") or []
        if not addresses:
            causes.append(field_required(f"endpoints[{i}].addresses", "must contain at least 1 address"))
        for j, address in enumerate(addresses):
            try:
                ok = address_type == "FQDN" or ipaddress.ip_address(address).version == int(address_type[-1])
            except ValueError:
                ok = False
            if not ok:
                causes.append(field_invalid(f"endpoints[{i}].addresses[{j}]", address, f"must be a valid {address_type} address"))
    return causes


def validate_config_map(obj):
    causes = []
    for field in ("data", "binaryData"):
        for key in obj.get(field) or {}:
            if not CONFIG_KEY.match(key) or len(key) > 253:
                causes.append(field_invalid(f"{field}[{key}]", key, "a valid config key must consist of alphanumeric "
                                            "characters, '-', '_' or '.'"))
    return causes


@dataclass(frozen=True)
class Resource:
    group: str  # "" for the core group
    version: str
    plural: str
    kind: str
    unconditional_update: bool  # the strategy's AllowUnconditionalUpdate
    validate: Callable[[dict], list]
    has_generation: bool = False

    @property
    def api_version(self):
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified(self):  # "leases.coordination.k8s.io", "configmaps"
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def group_kind(self):  # "Lease.coordination.k8s.io", "ConfigMap"
        return f"{self.kind}.{self.group}" if self.group else self.kind

    def details(self, name):
        details = {"name": name, "group": self.group, "kind": self.plural}
        return {k: v for k, v in details.items() if v}

    def prefix(self, namespace=None):
        return f"/registry/{self.group or 'core'}/{self.plural}/" + (f"{namespace}/" if namespace else "")

    def key(self, namespace, name):
        return self.prefix(namespace) + name


RESOURCES = {(r.group, r.version, r.plural): r for r in [
    Resource("coordination.k8s.io", "v1", "leases", "Lease", False, validate_lease),
    Resource("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", True, validate_endpoint_slice, True),
    Resource("", "v1", "configmaps", "ConfigMap", True, validate_config_map),
]}


# ---------------------------------------------------------------------------------------------
# Selectors.

LABEL_KEY = r"(?P<key>[A-Za-z0-9](?:[-A-Za-z0-9_./]*[A-Za-z0-9])?)"
LABEL_VALUE = r"(?P<value>(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?)"
SET_TERM = re.compile(rf"^{LABEL_KEY}\s+(?P<op>in|notin)\s*\((?P<values>[^)]*)\)$")
EQUALITY_TERM = re.compile(rf"^{LABEL_KEY}\s*(?P<op>==|=|!=)\s*{LABEL_VALUE}$")
EXISTS_TERM = re.compile(rf"^(?P<not>!?)\s*{LABEL_KEY}$")


def split_terms(text):
    """Splits a selector on the commas outside parentheses."""
    terms, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            terms.append(current.strip())
            current = ""
        else:
            current += char
    terms.append(current.strip())
    return [term for term in terms if term]


def label_predicate(text):
    """A function of a labels dict for a labelSelector."""
    tests = []
    for term in split_terms(text or ""):
        if match := SET_TERM.match(term):
            key, values = match["key"], {v.strip() for v in match["values"].split(",") if v.strip()}
            if match["op"] == "in":
                tests.append(lambda labels, k=key, vs=values: labels.get(k) in vs)
            else:
                tests.append(lambda labels, k=key, vs=values: labels.get(k) not in vs)
        elif match := EQUALITY_TERM.match(term):
            key, value = match["key"], match["value"]
            if match["op"] == "!=":
                tests.append(lambda labels, k=key, v=value: labels.get(k) != v)
            else:
                tests.append(lambda labels, k=key, v=value: labels.get(k) == v)
        elif match := EXISTS_TERM.match(term):
            negated, key = match["not"] == "!", match["key"]
            tests.append(lambda labels, k=key, n=negated: (k in labels) != n)
        else:
            raise bad_request(f"unable to parse requirement: {term!r}")
    return lambda labels: all(test(labels) for test in tests)


FIELDS = {"metadata.name": lambda obj: obj["metadata"].get("name"),
          "metadata.namespace": lambda obj: obj["metadata"].get("namespace")}


def selector(query):
    """A function of an object for the labelSelector and fieldSelector of a request."""
    labels = label_predicate(query.get("labelSelector"))
    tests = []
    for term in split_terms(query.get("fieldSelector") or ""):
        match = re.match(r"^([^=!]+?)\s*(==|=|!=)\s*(.*)$", term)
        if not match:
            raise bad_request(f"invalid field selector: {term!r}")
        field, operator, value = match.groups()
        if field not in FIELDS:
            raise bad_request(f'field label not supported: {field}')
        get = FIELDS[field]
        tests.append((lambda obj, g=get, v=value: g(obj) != v) if operator == "!="
                     else (lambda obj, g=get, v=value: g(obj) == v))
    return lambda obj: labels(obj["metadata"].get("labels") or {}) and all(test(obj) for test in tests)


# ---------------------------------------------------------------------------------------------
# The verbs, on etcd.


def now_rfc3339():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def with_type(resource, obj):
    return {"kind": resource.kind, "apiVersion": resource.api_version, **obj}


def checked_object(resource, body, namespace):
    """The request body as an object of `resource` in `namespace`, or a 400."""
    if not isinstance(body, dict) or not isinstance(body.get("metadata", {}), dict):
        raise bad_request(f"the body of the request is not a {resource.kind} object")
    obj = {**body, "kind": resource.kind, "apiVersion": resource.api_version}
    meta = obj["metadata"] = dict(body.get("metadata") or {})
    for field in ("labels", "annotations"):
        if not all(isinstance(v, str) for v in (meta.get(field) or {}).values()):
            raise bad_request(f"metadata.{field}: values must be strings")
    if meta.setdefault("namespace", namespace) != namespace:
        raise bad_request("the namespace of the provided object does not match the namespace sent on the request")
    return obj


def validated(resource, obj):
    name = obj["metadata"].get("name", "")
    causes = []
    if not name:
        causes.append(field_required("metadata.name", "name or generateName is required"))
    elif len(name) > 253 or not DNS_SUBDOMAIN.match(name):
        causes.append(field_invalid("metadata.name", name, "a lowercase RFC 1123 subdomain must consist of lower case "
                                    "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
                                    "character"))
    causes += resource.validate(obj)
    if causes:
        raise invalid(resource, name, causes)
    return obj


def create(etcd, resource, namespace, body):
    obj = checked_object(resource, body, namespace)
    meta = obj["metadata"]
    if meta.get("resourceVersion"):
        raise ApiError(500, "", "resourceVersion should not be set on objects to be created")
    if not meta.get("name") and meta.get("generateName"):
        meta["name"] = meta["generateName"] + "".join(random.choices("bcdfghjklmnpqrstvwxz2456789", k=5))
    meta["uid"], meta["creationTimestamp"] = str(uuid.uuid4()), now_rfc3339()
    for field in ("deletionTimestamp", "deletionGracePeriodSeconds", "managedFields"):
        meta.pop(field, None)
    if resource.has_generation:
        meta["generation"] = 1
    validated(resource, obj)
    key = resource.key(namespace, meta["name"])
    created, revision = etcd.txn({"key": b64(key), "target": "CREATE", "result": "EQUAL", "create_revision": "0"},
                                 {"request_put": {"key": b64(key), "value": b64(encode_object(obj))}})
    if not created:
        raise already_exists(resource, meta["name"])
    meta["resourceVersion"] = str(revision)
    return obj


def write_update(etcd, resource, namespace, name, kv, new, precondition):
    """Writes `new` over the stored `kv` if the key is unchanged since: the new object, or None when
    the key changed and an unconditional update should read again and retry."""
    old = decode_kv(kv)
    meta = new["metadata"]
    if precondition and precondition != old["metadata"]["resourceVersion"]:
        raise conflict(resource, name)
    if meta.get("uid") and meta["uid"] != old["metadata"]["uid"]:
        raise invalid(resource, name, [field_invalid("metadata.uid", meta["uid"], "field is immutable")])
    meta["uid"], meta["creationTimestamp"] = old["metadata"]["uid"], old["metadata"].get("creationTimestamp")
    if resource.has_generation:  # bumped when anything but metadata changes
        changed = {k: v for k, v in new.items() if k != "metadata"} != {k: v for k, v in old.items() if k != "metadata"}
        meta["generation"] = old["metadata"].get("generation", 1) + (1 if changed else 0)
    validated(resource, new)
    data = encode_object(new)
    if data == encode_object(old):
        return old  # kube-apiserver skips writing a no-op update: same resourceVersion
    key = resource.key(namespace, name)
    written, revision = etcd.txn({"key": b64(key), "target": "MOD", "result": "EQUAL", "mod_revision": kv["mod_revision"]},
                                 {"request_put": {"key": b64(key), "value": b64(data)}})
    if not written:
        if precondition:
            raise conflict(resource, name)
        return None
    meta["resourceVersion"] = str(revision)
    return new


def update(etcd, resource, namespace, name, body):
    while True:
        kv = etcd.get(resource.key(namespace, name))
        if kv is None:
            raise not_found(resource, name)
        new = checked_object(resource, body, namespace)
        if new["metadata"].get("name") != name:
            raise bad_request(f"the name of the object ({new['metadata'].get('name')}) does not match the name on "
                              f"the URL ({name})")
        precondition = new["metadata"].get("resourceVersion")
        if not precondition and not resource.unconditional_update:
            # Go renders the uint64 0 of the missing version as 0x0.
            raise invalid(resource, name, [("metadata.resourceVersion", "FieldValueInvalid",
                                            "Invalid value: 0x0: must be specified for an update")])
        result = write_update(etcd, resource, namespace, name, kv, new, precondition)
        if result is not None:
            return result


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def patch(etcd, resource, namespace, name, body, content_type):
    if content_type not in ("application/merge-patch+json", "application/strategic-merge-patch+json"):
        raise ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted "
                       "media types include: application/merge-patch+json, application/strategic-merge-patch+json")
    if not isinstance(body, dict):
        raise bad_request("a merge patch must be a JSON object")
    precondition = (body.get("metadata") or {}).get("resourceVersion")
    while True:
        kv = etcd.get(resource.key(namespace, name))
        if kv is None:
            raise not_found(resource, name)
        new = checked_object(resource, merge_patch(decode_kv(kv), body), namespace)
        if new["metadata"].get("name") != name:
            raise bad_request("metadata.name: the name of a patched object cannot change")
        result = write_update(etcd, resource, namespace, name, kv, new, precondition)
        if result is not None:
            return result


def delete(etcd, resource, namespace, name, options):
    preconditions = (options or {}).get("preconditions") or {}
    key = resource.key(namespace, name)
    while True:
        kv = etcd.get(key)
        if kv is None:
            raise not_found(resource, name)
        obj = decode_kv(kv)
        meta = obj["metadata"]
        if preconditions.get("resourceVersion") and preconditions["resourceVersion"] != meta["resourceVersion"]:
            raise conflict(resource, name, f"the ResourceVersion in the precondition ({preconditions['resourceVersion']}) "
                           f"does not match the ResourceVersion in record ({meta['resourceVersion']}). The object "
                           "might have been modified")
        if preconditions.get("uid") and preconditions["uid"] != meta["uid"]:
            raise conflict(resource, name, f"the UID in the precondition ({preconditions['uid']}) does not match the "
                           f"UID in record ({meta['uid']}). The object might have been deleted and then recreated")
        deleted, _ = etcd.txn({"key": b64(key), "target": "MOD", "result": "EQUAL", "mod_revision": kv["mod_revision"]},
                              {"request_delete_range": {"key": b64(key)}})
        if deleted:
            return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                    "details": {**resource.details(name), "uid": meta["uid"]}}


def list_objects(etcd, resource, namespace, query):
    matches = selector(query)
    kvs, revision = etcd.range_prefix(resource.prefix(namespace))
    items = [obj for obj in map(decode_kv, kvs) if matches(obj)]
    for obj in items:  # items of a typed list carry no kind or apiVersion
        del obj["kind"], obj["apiVersion"]
    return {"kind": resource.kind + "List", "apiVersion": resource.api_version,
            "metadata": {"resourceVersion": str(revision)}, "items": items}


def watch_event(resource, event, matches):
    """The kube watch event (type, object) of an etcd event, or None when the selectors hide it."""
    kv, prev_kv = event["kv"], event.get("prev_kv")
    revision = kv["mod_revision"]
    deleted = event.get("type") == "DELETE"
    current = None if deleted else with_type(resource, decode_kv(kv))
    if prev_kv:  # the previous state, at the event's resourceVersion, for DELETED
        previous = with_type(resource, decode_kv(prev_kv, revision))
        was_matching = matches(previous)
    elif deleted:  # etcd gives no previous state once its revision is compacted: name it from the key
        namespace, name = base64.b64decode(kv["key"]).decode().split("/")[-2:]
        previous = with_type(resource, {"metadata": {"name": name, "namespace": namespace,
                                                     "resourceVersion": str(revision)}})
        was_matching = matches(previous)
    else:  # a creation, or a change whose previous state was compacted (taken as matching alike)
        previous, was_matching = None, kv.get("version") != "1" and matches(current)
    if deleted or not matches(current):
        return ("DELETED", previous) if was_matching else None
    return ("MODIFIED" if was_matching else "ADDED", current)


# ---------------------------------------------------------------------------------------------
# HTTP.

PATHS = [re.compile(r"^/api/(?P<version>v1)(?:/namespaces/(?P<namespace>[^/]+))?/(?P<plural>[^/]+)(?:/(?P<name>[^/]+))?$"),
         re.compile(r"^/apis/(?P<group>[^/]+)/(?P<version>[^/]+)(?:/namespaces/(?P<namespace>[^/]+))?/(?P<plural>[^/]+)"
                    r"(?:/(?P<name>[^/]+))?$")]


def parse_bool(value):
    """A boolean query parameter, as Go's strconv.ParseBool reads it (clients send "true" or "True")."""
    return value in ("1", "t", "T", "true", "True", "TRUE")


def route(path):
    """(resource, namespace or None, name or None) of a URL path, or a 404."""
    for pattern in PATHS:
        if match := pattern.match(path):
            parts = match.groupdict()
            resource = RESOURCES.get((parts.get("group") or "", parts["version"], parts["plural"]))
            if resource and not (parts["name"] and not parts["namespace"]):
                return resource, parts["namespace"], parts["name"]
    raise ApiError(404, "NotFound", "the server could not find the requested resource", None)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-apiserver"

    def log_message(self, format, *args):  # quiet: only failures are printed, by dispatch
        pass

    def do_GET(self):
        self.dispatch(self.command)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while size := int(self.rfile.readline().split(b";")[0], 16):
                data += self.rfile.read(size)
                self.rfile.readline()
            while self.rfile.readline().strip():  # trailers
                pass
            return data
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def authorized(self):
        if self.server.token_file is None:
            return True
        try:
            with open(self.server.token_file, encoding="utf-8") as file:
                token = file.read().strip()
        except OSError:
            return False
        scheme, _, given = self.headers.get("Authorization", "").partition(" ")
        return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())

    def dispatch(self, method):
        try:
            raw = self.read_body()
            url = urllib.parse.urlsplit(self.path)
            query = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query, keep_blank_values=True).items()}
            if not self.authorized():
                raise ApiError(401, "Unauthorized", "Unauthorized")
            if url.path in ("/healthz", "/livez", "/readyz") and method == "GET":
                return self.send(200, b"ok", "text/plain; charset=utf-8")
            if url.path == "/version" and method == "GET":
                return self.send_json(200, {"major": "1", "minor": "30", "gitVersion": "v1.30.0-fake", "platform": "linux/amd64"})
            try:
                body = json.loads(raw) if raw.strip() else None
            except ValueError as error:
                raise bad_request(f"the body of the request could not be decoded: {error}") from error
            self.serve(method, url.path, query, body)
        except ApiError as error:
            self.send_json(error.code, error.status())
        except EtcdError as error:
            self.send_json(500, ApiError(500, "InternalError", f"Internal error occurred: {error}").status())
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as error:  # a bug here: tell the client and the log
            traceback.print_exc()
            self.send_json(500, ApiError(500, "InternalError", f"Internal error occurred: {error!r}").status())

    def serve(self, method, path, query, body):
        resource, namespace, name = route(path)
        etcd = self.server.etcd
        if name is None and method == "GET" and parse_bool(query.get("watch")):
            return self.watch(resource, namespace, query)
        if name is None and method == "GET":
            return self.send_json(200, list_objects(etcd, resource, namespace, query))
        if name is None and method == "POST" and namespace:
            return self.send_json(201, create(etcd, resource, namespace, body))
        if name is not None and method == "GET":
            kv = etcd.get(resource.key(namespace, name))
            if kv is None:
                raise not_found(resource, name)
            return self.send_json(200, decode_kv(kv))
        if name is not None and method == "PUT":
            return self.send_json(200, update(etcd, resource, namespace, name, body))
        if name is not None and method == "PATCH":
            content_type = self.headers.get("Content-Type", "").split(";")[0].strip()
            return self.send_json(200, patch(etcd, resource, namespace, name, body, content_type))
        if name is not None and method == "DELETE":
            return self.send_json(200, delete(etcd, resource, namespace, name, body))
        raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")

    def send(self, code, data, content_type):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_json(self, code, obj):
        self.send(code, json.dumps(obj).encode(), "application/json")

    # -- watch ------------------------------------------------------------------------------

    def client_gone(self):
        """Whether the client closed its connection (peeking at the raw socket, TLS or not)."""
        try:
            return socket.socket.recv(self.connection, 1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def send_event(self, kind, obj):
        line = json.dumps({"type": kind, "object": obj}).encode() + b"\n"
        self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
        self.wfile.flush()

    def watch(self, resource, namespace, query):
        etcd = self.server.etcd
        matches = selector(query)
        try:
            timeout = float(query.get("timeoutSeconds") or DEFAULT_WATCH_TIMEOUT)
        except ValueError as error:
            raise bad_request(f"invalid timeoutSeconds: {error}") from error
        started = time.monotonic()
        deadline = started + timeout
        bookmarks = parse_bool(query.get("allowWatchBookmarks"))
        since = query.get("resourceVersion") or "0"
        initial = []
        if since == "0":  # the current state as ADDED events, then the changes after it
            initial, last = etcd.range_prefix(resource.prefix(namespace))
        else:
            try:
                last = int(since)
            except ValueError as error:
                raise bad_request(f"invalid resource version: {since}") from error
        stream = EtcdWatch(etcd, resource.prefix(namespace), last + 1)
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Cache-Control", "no-cache, private")
            self.end_headers()
            for kv in initial:
                obj = with_type(resource, decode_kv(kv))
                if matches(obj):
                    self.send_event("ADDED", obj)
            # kube-apiserver bookmarks about every minute, and 2 s before the watch's deadline.
            next_bookmark = min(started + BOOKMARK_INTERVAL, deadline - 2) if bookmarks else math.inf
            while not self.client_gone():
                now = time.monotonic()
                if now >= deadline:
                    break
                if now >= next_bookmark:
                    self.send_event("BOOKMARK", {"kind": resource.kind, "apiVersion": resource.api_version,
                                                 "metadata": {"resourceVersion": str(last)}})
                    next_bookmark = min(now + BOOKMARK_INTERVAL, deadline - 2) if now < deadline - 2 else math.inf
                    continue
                try:
                    result = stream.results.get(timeout=max(0.0, min(0.25, deadline - now, next_bookmark - now)))
                except queue.Empty:
                    continue
                if result is None or result.get("canceled"):
                    self.send_watch_error(result, since)
                    break
                for event in result.get("events") or []:
                    translated = watch_event(resource, event, matches)
                    last = int(event["kv"]["mod_revision"])
                    if translated:
                        self.send_event(*translated)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.close_connection = True
        finally:
            stream.close()

    def send_watch_error(self, result, since):
        compacted = int((result or {}).get("compact_revision") or 0)
        if compacted:
            # The oldest resourceVersion a watch can start from is the compaction's revision - 1.
            error = ApiError(410, "Expired", f"too old resource version: {since} ({compacted - 1})")
        else:
            reason = (result or {}).get("cancel_reason") or "the etcd watch ended"
            error = ApiError(500, "InternalError", f"Internal error occurred: {reason}")
        self.send_event("ERROR", error.status())


class ApiServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, etcd, token_file, tls):
        super().__init__(address, Handler)
        self.etcd, self.token_file, self.tls = etcd, token_file, tls

    def finish_request(self, request, client_address):
        if self.tls is None:
            return super().finish_request(request, client_address)
        try:  # the TLS handshake runs on the connection's own thread
            request.settimeout(10)
            request = self.tls.wrap_socket(request, server_side=True)
            request.settimeout(None)
        except (OSError, ssl.SSLError):
            return
        try:
            super().finish_request(request, client_address)
        finally:
            request.close()


def main():
    parser = argparse.ArgumentParser(description="A fake kube-apiserver for leases, endpointslices and configmaps.")
    parser.add_argument("--etcd", required=True, help="etcd's client URL, http://HOST:PORT")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--token-file", help="require 'Authorization: Bearer' with this file's content")
    parser.add_argument("--tls-cert", help="PEM certificate chain; serve HTTPS")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    args = parser.parse_args()
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    tls = None
    if args.tls_cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    server = ApiServer((args.host, args.port), Etcd(args.etcd), args.token_file, tls)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    host, port = server.server_address[:2]
    print(f"listening on {host}:{port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
