"""The Kubernetes manifests in deploy/kubernetes, checked offline: no cluster and no API server.

Every file parses as YAML; every object is a kind that Kubernetes 1.29 and later serves, without a
namespace of its own and with the app label; the fields that tie the objects together agree (the
StatefulSet's serviceName and the headless Service, selectors and pod labels, Service targetPorts,
container ports, probe ports and the addresses goethe is told to listen on, the Role's rules, the
RoleBinding, the ServiceAccount the pods run as, the PodDisruptionBudget); and goethe's arguments
name only flags that ServeCommand.swift declares, read from the source so that a renamed flag fails
here. Where kubectl is installed (the deps scripts do not install it), `kubectl kustomize` must
render exactly the objects the files hold.
"""

import re
import shutil
import subprocess
import unittest
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = REPO_ROOT / "deploy" / "kubernetes"
SERVE_COMMAND = REPO_ROOT / "Sources" / "goethe" / "Daemon" / "ServeCommand.swift"

APP_LABEL = ("app.kubernetes.io/name", "goethe")

# The kinds the manifests may use, with the apiVersion each has in Kubernetes 1.29 and later.
KINDS = {
    "ServiceAccount": "v1",
    "Service": "v1",
    "ConfigMap": "v1",
    "StatefulSet": "apps/v1",
    "Role": "rbac.authorization.k8s.io/v1",
    "RoleBinding": "rbac.authorization.k8s.io/v1",
    "PodDisruptionBudget": "policy/v1",
}

# What the Kubernetes coordinator calls, and nothing more: (API group, resource) -> verbs.
RBAC_RULES = {
    ("coordination.k8s.io", "leases"): {"get", "list", "watch", "create", "update"},
    ("discovery.k8s.io", "endpointslices"): {"get", "list", "watch"},
    ("", "configmaps"): {"get", "create", "update"},
}

# The fields of the Kubernetes API types the manifests fill in, so that a misspelt field (which the
# API server would drop or refuse) fails here.
TOP_LEVEL_FIELDS = {"apiVersion", "kind", "metadata", "spec", "rules", "roleRef", "subjects", "data"}
METADATA_FIELDS = {"name", "labels", "annotations"}
STATEFULSET_SPEC_FIELDS = {
    "replicas", "selector", "template", "serviceName", "podManagementPolicy", "updateStrategy",
    "volumeClaimTemplates", "revisionHistoryLimit", "minReadySeconds",
    "persistentVolumeClaimRetentionPolicy", "ordinals",
}
POD_SPEC_FIELDS = {
    "volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy",
    "terminationGracePeriodSeconds", "activeDeadlineSeconds", "dnsPolicy", "nodeSelector",
    "serviceAccountName", "automountServiceAccountToken", "nodeName", "hostNetwork", "hostPID",
    "hostIPC", "shareProcessNamespace", "securityContext", "imagePullSecrets", "hostname",
    "subdomain", "affinity", "schedulerName", "tolerations", "hostAliases", "priorityClassName",
    "priority", "dnsConfig", "readinessGates", "runtimeClassName", "enableServiceLinks",
    "preemptionPolicy", "overhead", "topologySpreadConstraints", "setHostnameAsFQDN", "os",
    "hostUsers", "schedulingGates", "resourceClaims",
}
CONTAINER_FIELDS = {
    "name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources",
    "resizePolicy", "restartPolicy", "volumeMounts", "volumeDevices", "livenessProbe",
    "readinessProbe", "startupProbe", "lifecycle", "terminationMessagePath",
    "terminationMessagePolicy", "imagePullPolicy", "securityContext", "stdin", "stdinOnce", "tty",
}
PROBE_FIELDS = {
    "exec", "httpGet", "tcpSocket", "grpc", "initialDelaySeconds", "timeoutSeconds",
    "periodSeconds", "successThreshold", "failureThreshold", "terminationGracePeriodSeconds",
}
SERVICE_SPEC_FIELDS = {
    "ports", "selector", "clusterIP", "clusterIPs", "type", "externalIPs", "sessionAffinity",
    "loadBalancerIP", "loadBalancerSourceRanges", "externalName", "externalTrafficPolicy",
    "healthCheckNodePort", "publishNotReadyAddresses", "sessionAffinityConfig", "ipFamilies",
    "ipFamilyPolicy", "allocateLoadBalancerNodePorts", "loadBalancerClass",
    "internalTrafficPolicy", "trafficDistribution",
}
SERVICE_PORT_FIELDS = {"name", "protocol", "appProtocol", "port", "targetPort", "nodePort"}

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def load_manifests():
    """Every document of every YAML file but the kustomization, as (file name, object)."""
    objects = []
    for path in sorted(MANIFESTS.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for document in yaml.safe_load_all(path.read_text()):
            if document is not None:
                objects.append((path.name, document))
    return objects


def kebab_case(name):
    """A Swift property name as swift-argument-parser spells its long flag: leaseTTL -> lease-ttl."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1-\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", name)
    return name.lower()


def serve_command_flags():
    """The long flags of `goethe serve`, from ServeCommand.swift: {name: takes a value}."""
    source = SERVE_COMMAND.read_text()
    flags = {}
    for match in re.finditer(r"@(Option|Flag)\b(\((?:.*?)\))?\s*var\s+(\w+)", source, re.DOTALL):
        kind, arguments, property_name = match.group(1), match.group(2) or "", match.group(3)
        custom = re.search(r'\.customLong\("([^"]+)"\)', arguments)
        flags[custom.group(1) if custom else kebab_case(property_name)] = kind == "Option"
    return flags


def serve_command_settings():
    """The setting keys ServeCommand.swift passes on (`flags["lease-ttl"] = leaseTTL`)."""
    return set(re.findall(r'flags\["([a-z0-9-]+)"\]\s*=', SERVE_COMMAND.read_text()))


def parse_arguments(arguments, known, strict=True):
    """goethe's arguments as {flag: value or True}; fails on an unknown flag (unless not `strict`,
    which takes it to be an option) or a missing value."""
    parsed = {}
    rest = list(arguments)
    while rest:
        argument = rest.pop(0)
        if not argument.startswith("--"):
            raise AssertionError(f"goethe argument {argument!r} is not a --flag")
        name, equals, value = argument[2:].partition("=")
        if name not in known and strict:
            raise AssertionError(f"goethe has no flag --{name} (ServeCommand.swift declares {sorted(known)})")
        if name in parsed:
            raise AssertionError(f"--{name} is given twice")
        if known.get(name, True):
            if not equals:
                if not rest or rest[0].startswith("--"):
                    raise AssertionError(f"--{name} has no value")
                value = rest.pop(0)
            parsed[name] = value
        else:
            if equals:
                raise AssertionError(f"--{name} takes no value")
            parsed[name] = True
    return parsed


def port_of(address):
    """The port of a HOST:PORT address (':1337', '[::1]:1337', 'name.svc:1337')."""
    match = re.fullmatch(r".*:(\d+)", address)
    if not match:
        raise AssertionError(f"{address!r} is not HOST:PORT")
    return int(match.group(1))


def matches(selector, labels):
    """Whether a label selector (matchLabels form or a Service's map) selects these labels."""
    if not selector:
        return False
    return all(labels.get(key) == value for key, value in selector.items())


class ManifestTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.objects = load_manifests()
        cls.flags = serve_command_flags()

    def only(self, kind, name=None):
        found = [o for _, o in self.objects if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)]
        self.assertEqual(len(found), 1, f"expected one {kind} {name or ''}, found {len(found)}")
        return found[0]

    @property
    def statefulset(self):
        return self.only("StatefulSet", "goethe")

    @property
    def pod(self):
        return self.statefulset["spec"]["template"]

    @property
    def container(self):
        containers = self.pod["spec"]["containers"]
        self.assertEqual([c["name"] for c in containers], ["goethe"])
        return containers[0]

    def arguments(self, strict=False):
        """goethe's arguments; unknown flags fail only test_arguments_name_flags_goethe_has."""
        container = self.container
        self.assertEqual(container.get("command"), ["goethe"])
        arguments = container.get("args", [])
        if arguments[:1] == ["serve"]:
            arguments = arguments[1:]
        return parse_arguments(arguments, self.flags, strict)

    def headless_service(self):
        return self.only("Service", self.statefulset["spec"]["serviceName"])

    # The files themselves.

    def test_every_file_has_a_comment_header(self):
        for path in sorted(MANIFESTS.glob("*.yaml")):
            with self.subTest(path.name):
                self.assertTrue(path.read_text().startswith("#"), f"{path.name} begins without a comment")

    def test_the_kustomization_lists_every_file(self):
        kustomization = yaml.safe_load((MANIFESTS / "kustomization.yaml").read_text())
        self.assertEqual(kustomization["apiVersion"], "kustomize.config.k8s.io/v1beta1")
        self.assertEqual(kustomization["kind"], "Kustomization")
        self.assertNotIn("namespace", kustomization)
        files = {p.name for p in MANIFESTS.glob("*.yaml")} - {"kustomization.yaml"}
        self.assertEqual(sorted(kustomization["resources"]), sorted(files))
        self.assertEqual(set(MANIFESTS.glob("*.yml")), set(), "use .yaml")

    # Every object.

    def test_objects_are_kinds_kubernetes_serves(self):
        self.assertTrue(self.objects)
        for file, manifest in self.objects:
            with self.subTest(file=file, kind=manifest.get("kind")):
                self.assertIn(manifest.get("kind"), KINDS)
                self.assertEqual(manifest.get("apiVersion"), KINDS[manifest["kind"]])
                self.assertLessEqual(set(manifest), TOP_LEVEL_FIELDS)

    def test_objects_are_named_labelled_and_namespace_agnostic(self):
        seen = set()
        for file, manifest in self.objects:
            metadata = manifest.get("metadata") or {}
            with self.subTest(file=file, kind=manifest.get("kind"), name=metadata.get("name")):
                self.assertLessEqual(set(metadata), METADATA_FIELDS)
                self.assertRegex(metadata.get("name", ""), DNS_LABEL)
                self.assertNotIn("namespace", metadata)
                self.assertEqual(metadata.get("labels", {}).get(APP_LABEL[0]), APP_LABEL[1])
                key = (manifest["kind"], metadata["name"])
                self.assertNotIn(key, seen, "defined twice")
                seen.add(key)

    # The StatefulSet.

    def test_statefulset_shape(self):
        spec = self.statefulset["spec"]
        self.assertLessEqual(set(spec), STATEFULSET_SPEC_FIELDS)
        self.assertEqual(spec["replicas"], 3)
        self.assertEqual(spec["podManagementPolicy"], "Parallel")
        self.assertTrue(matches(spec["selector"]["matchLabels"], self.pod["metadata"]["labels"]))
        self.assertEqual(set(spec["selector"]), {"matchLabels"})
        self.assertEqual(self.pod["metadata"]["labels"].get(APP_LABEL[0]), APP_LABEL[1])
        pod_spec = self.pod["spec"]
        self.assertLessEqual(set(pod_spec), POD_SPEC_FIELDS)
        self.assertGreaterEqual(pod_spec.get("terminationGracePeriodSeconds", 30), 30)

    def test_statefulset_service_is_the_headless_service(self):
        service = self.headless_service()
        self.assertEqual(service["spec"].get("clusterIP"), "None")
        self.assertIs(service["spec"].get("publishNotReadyAddresses"), True)
        self.assertTrue(matches(service["spec"]["selector"], self.pod["metadata"]["labels"]))

    def test_container_shape(self):
        container = self.container
        self.assertLessEqual(set(container), CONTAINER_FIELDS)
        self.assertTrue(container.get("image"))
        resources = container.get("resources", {})
        self.assertIn("cpu", resources.get("requests", {}))
        self.assertIn("memory", resources.get("requests", {}))
        self.assertIn("memory", resources.get("limits", {}))
        names = [p["name"] for p in container["ports"]]
        self.assertEqual(len(names), len(set(names)))
        self.assertIn("grpc", names)

    def test_security_context(self):
        pod_context = self.pod["spec"].get("securityContext", {})
        container_context = self.container.get("securityContext", {})
        self.assertTrue(container_context.get("runAsNonRoot", pod_context.get("runAsNonRoot")))
        self.assertNotEqual(container_context.get("runAsUser", pod_context.get("runAsUser")), 0)
        self.assertIs(container_context.get("readOnlyRootFilesystem"), True)
        self.assertIs(container_context.get("allowPrivilegeEscalation"), False)
        self.assertEqual(container_context.get("capabilities", {}).get("drop"), ["ALL"])
        self.assertNotIn("add", container_context.get("capabilities", {}))

    def test_volume_mounts_name_volumes_and_the_data_dir_is_a_claim(self):
        claims = {t["metadata"]["name"]: t for t in self.statefulset["spec"].get("volumeClaimTemplates", [])}
        volumes = {v["name"] for v in self.pod["spec"].get("volumes", [])}
        mounts = {m["name"]: m["mountPath"] for m in self.container.get("volumeMounts", [])}
        for name in mounts:
            self.assertIn(name, claims.keys() | volumes, f"volumeMount {name} names no volume")
        self.assertEqual(claims.keys() & volumes, set())
        data_dir = self.arguments().get("data-dir")
        self.assertIsNotNone(data_dir, "goethe has no --data-dir")
        claim = next((name for name, path in mounts.items() if path == data_dir), None)
        self.assertIn(claim, claims, f"--data-dir {data_dir} is not the mount of a volumeClaimTemplate")
        spec = claims[claim]["spec"]
        self.assertIn("ReadWriteOnce", spec["accessModes"])
        self.assertIn("storage", spec["resources"]["requests"])

    # goethe's arguments and environment.

    def test_the_flag_reader_finds_what_serve_command_passes_on(self):
        # A check of serve_command_flags() itself: every setting ServeCommand.swift passes on under
        # a flag's own name must be among the flags it found.
        self.assertIn("listen", self.flags)
        for setting in serve_command_settings():
            if setting in ("auto-create-topics", "v1-consume-follow"):
                continue  # set from the boolean flags --no-auto-create-topics and --v1-consume-follow
            self.assertTrue(self.flags.get(setting), f"--{setting} was not read as an option")

    def test_arguments_name_flags_goethe_has(self):
        arguments = self.arguments(strict=True)
        for flag in ("listen", "data-dir", "coordinator", "kubernetes-service", "node-id", "advertise"):
            self.assertIn(flag, arguments)
        self.assertEqual(arguments["coordinator"], "kubernetes")
        self.assertEqual(arguments["kubernetes-service"], self.headless_service()["metadata"]["name"])

    def test_environment_names_settings_goethe_has(self):
        settings = serve_command_settings() | {"config"}
        for variable in self.container.get("env", []):
            name = variable["name"]
            if name.startswith("GOETHE_"):
                with self.subTest(name):
                    self.assertIn(name[len("GOETHE_"):].lower().replace("_", "-"), settings)

    def test_arguments_expand_only_defined_variables(self):
        defined = [v["name"] for v in self.container.get("env", [])]
        for argument in self.container.get("command", []) + self.container.get("args", []):
            for variable in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", argument):
                self.assertIn(variable, defined, f"{argument} expands an undefined ${variable}")

    def test_node_id_and_advertised_address_come_from_the_pod(self):
        env = {v["name"]: v for v in self.container.get("env", [])}

        def field(name):
            self.assertIn(name, env, f"${name} is not in the container's env")
            return env[name].get("valueFrom", {}).get("fieldRef", {}).get("fieldPath")

        arguments = self.arguments()
        node_id = re.fullmatch(r"\$\((\w+)\)", arguments["node-id"])
        self.assertIsNotNone(node_id, "--node-id is not the pod name")
        self.assertEqual(field(node_id.group(1)), "metadata.name")
        service = self.headless_service()["metadata"]["name"]
        advertise = re.fullmatch(
            r"\$\((\w+)\)\." + re.escape(service) + r"\.\$\((\w+)\)\.svc\.[a-z0-9.-]+:(\d+)", arguments["advertise"])
        self.assertIsNotNone(advertise, f"--advertise is not POD.{service}.NAMESPACE.svc.DOMAIN:PORT")
        self.assertEqual(field(advertise.group(1)), "metadata.name")
        self.assertEqual(field(advertise.group(2)), "metadata.namespace")

    # Ports: what goethe listens on, the container's ports, the probes and the Services.

    def test_listen_advertise_and_metrics_ports_are_container_ports(self):
        arguments = self.arguments()
        ports = {p["name"]: p["containerPort"] for p in self.container["ports"]}
        self.assertRegex(arguments["listen"], r"^(0\.0\.0\.0|\[::\])?:\d+$", "listen on every interface")
        self.assertEqual(port_of(arguments["listen"]), ports["grpc"])
        self.assertEqual(port_of(arguments["advertise"]), ports["grpc"])
        if "metrics-listen" in arguments:
            self.assertEqual(port_of(arguments["metrics-listen"]), ports.get("metrics"))
        for name, port in ports.items():
            self.assertIn(port, {port_of(arguments["listen"]), port_of(arguments.get("metrics-listen", ":0"))},
                          f"container port {name} is nothing goethe listens on")

    def test_probes_are_grpc_health_checks_on_the_grpc_port(self):
        grpc_port = {p["name"]: p["containerPort"] for p in self.container["ports"]}["grpc"]
        for probe_name in ("readinessProbe", "livenessProbe", "startupProbe"):
            probe = self.container.get(probe_name)
            if probe is None and probe_name == "startupProbe":
                continue
            with self.subTest(probe_name):
                self.assertIsNotNone(probe)
                self.assertLessEqual(set(probe), PROBE_FIELDS)
                self.assertEqual(set(probe) & {"exec", "httpGet", "tcpSocket", "grpc"}, {"grpc"})
                self.assertEqual(probe["grpc"]["port"], grpc_port)
                self.assertLessEqual(set(probe["grpc"]), {"port", "service"})
                self.assertEqual(probe["grpc"].get("service", ""), "")

    def test_services_select_the_pods_and_target_their_ports(self):
        container_ports = {p["name"]: p["containerPort"] for p in self.container["ports"]}
        services = [o for _, o in self.objects if o["kind"] == "Service"]
        self.assertEqual({s["metadata"]["name"] for s in services}, {"goethe", "goethe-headless"})
        for service in services:
            spec = service["spec"]
            with self.subTest(service["metadata"]["name"]):
                self.assertLessEqual(set(spec), SERVICE_SPEC_FIELDS)
                self.assertTrue(matches(spec.get("selector"), self.pod["metadata"]["labels"]))
                self.assertIn("grpc", [p.get("name") for p in spec["ports"]])
                for port in spec["ports"]:
                    self.assertLessEqual(set(port), SERVICE_PORT_FIELDS)
                    self.assertRegex(port.get("name", ""), DNS_LABEL)
                    target = port.get("targetPort", port["port"])
                    if isinstance(target, str):
                        self.assertIn(target, container_ports, f"targetPort {target} names no container port")
                    else:
                        self.assertIn(target, container_ports.values())
        client = self.only("Service", "goethe")["spec"]
        self.assertEqual(client.get("type", "ClusterIP"), "ClusterIP")
        self.assertNotEqual(client.get("clusterIP"), "None")

    # RBAC.

    def test_role_allows_exactly_what_the_coordinator_calls(self):
        role = self.only("Role")
        granted = {}
        for rule in role["rules"]:
            self.assertLessEqual(set(rule), {"apiGroups", "resources", "verbs"})
            for group in rule["apiGroups"]:
                for resource in rule["resources"]:
                    granted.setdefault((group, resource), set()).update(rule["verbs"])
        self.assertEqual(granted, RBAC_RULES)
        self.assertEqual([o for _, o in self.objects if o["kind"] in ("ClusterRole", "ClusterRoleBinding")], [])

    def test_role_binding_grants_the_role_to_the_pods_service_account(self):
        binding = self.only("RoleBinding")
        role = self.only("Role")
        account = self.only("ServiceAccount")
        self.assertEqual(
            binding["roleRef"], {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role["metadata"]["name"]})
        self.assertEqual(len(binding["subjects"]), 1)
        subject = binding["subjects"][0]
        self.assertEqual(subject["kind"], "ServiceAccount")
        self.assertEqual(subject["name"], account["metadata"]["name"])
        self.assertNotIn("namespace", subject)  # the binding's own namespace
        self.assertNotIn("apiGroup", subject)
        self.assertEqual(self.pod["spec"].get("serviceAccountName"), account["metadata"]["name"])
        # goethe reads its namespace from the mounted token's folder.
        self.assertIsNot(self.pod["spec"].get("automountServiceAccountToken"), False)
        self.assertIsNot(account.get("automountServiceAccountToken"), False)

    # The PodDisruptionBudget.

    def test_disruption_budget_keeps_a_majority(self):
        budget = self.only("PodDisruptionBudget")["spec"]
        self.assertEqual(set(budget["selector"]), {"matchLabels"})
        self.assertTrue(matches(budget["selector"]["matchLabels"], self.pod["metadata"]["labels"]))
        replicas = self.statefulset["spec"]["replicas"]
        self.assertEqual(len({"maxUnavailable", "minAvailable"} & set(budget)), 1)
        if "maxUnavailable" in budget:
            self.assertEqual(budget["maxUnavailable"], 1)
        else:
            self.assertGreater(budget["minAvailable"], replicas // 2)
            self.assertLess(budget["minAvailable"], replicas)


class KustomizeTests(unittest.TestCase):
    """Where kubectl is installed, `kubectl kustomize` renders the files as they are (it needs no
    cluster; `kubectl apply --dry-run=client` does, for API discovery, so it is not run)."""

    def test_kubectl_kustomize_renders_the_files(self):
        kubectl = shutil.which("kubectl")
        if kubectl is None:
            self.skipTest("kubectl is not installed")
        result = subprocess.run(
            [kubectl, "kustomize", str(MANIFESTS)], capture_output=True, text=True, timeout=120, check=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        rendered = [d for d in yaml.safe_load_all(result.stdout) if d is not None]

        def by_name(objects):
            return {(o["kind"], o["metadata"]["name"]): o for o in objects}

        self.assertEqual(by_name(rendered), by_name(o for _, o in load_manifests()))


if __name__ == "__main__":
    unittest.main()
