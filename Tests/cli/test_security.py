"""TLS, mutual TLS, tokens and grants, end to end: real daemons with certificates made by openssl
(scripts/make-test-certificates.sh) and an auth file, and goethectl with its credentials.

Each refusal is checked for its exit code (4: the connection could not be made as asked; 5: the
server refused the credentials) and its one line, which names what was wrong.
"""

import hashlib
import os
import shutil
import signal
import socket
import ssl
import stat
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

import pexpect

from support import (GOETHECTL, REPO_ROOT, Daemon, GoetheTestCase, Streaming, base_env, parse_ids,
                     run_ctl, unique)

TOKENS = {"producer": "tok-producer-1", "consumer": "tok-consumer-2", "describer": "tok-describer-3",
          "admin": "tok-admin-4"}
GRANTS = {"producer": "produce:orders.*", "consumer": "consume:orders.*", "describer": "describe:orders.*",
          "admin": "admin"}


def make_certificates(directory):
    subprocess.run([str(REPO_ROOT / "scripts" / "make-test-certificates.sh"), str(directory)], check=True,
                   stdout=subprocess.DEVNULL)
    return Path(directory)


def auth_lines(extra=()):
    """The auth file: a caller per token, and billing, known by its client certificate alone."""
    lines = [f"{name} {hashlib.sha256(TOKENS[name].encode()).hexdigest()} {GRANTS[name]}" for name in TOKENS]
    return "\n".join(["# callers of the security tests", *lines, "billing - produce:billing.*", *extra]) + "\n"


def wait_for(condition, what, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class SecureTestCase(GoetheTestCase):
    """A daemon per class, started with `daemon_args(certs, tmp)`."""

    @classmethod
    def daemon_args(cls, certs, tmp):
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        unittest.TestCase.setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix="goethectl-security-")
        cls.certs = make_certificates(Path(cls.tmp) / "certs")
        cls.auth_file = Path(cls.tmp) / "auth"
        cls.auth_file.write_text(auth_lines())
        cls.daemon = Daemon(Path(cls.tmp) / "data", cls.daemon_args(cls.certs, cls.tmp)).start()
        cls.server = cls.daemon.address

    def cert(self, name):
        return str(self.certs / name)

    def mtls(self, client="client"):
        return ["--tls-ca", self.cert("ca.pem"), "--tls-cert", self.cert(f"{client}.pem"),
                "--tls-key", self.cert(f"{client}.key")]

    def refused(self, *args, **kwargs):
        """Runs goethectl, asserts exit 5 and one line; returns the line."""
        return self.fails(5, *args, **kwargs)


class MutualTLSTests(SecureTestCase):
    @classmethod
    def daemon_args(cls, certs, tmp):
        return ["--tls-cert", certs / "server.pem", "--tls-key", certs / "server.key",
                "--tls-client-ca", certs / "ca.pem", "--auth-file", Path(tmp) / "auth"]

    def as_caller(self, name):
        return self.mtls() + ["--token", TOKENS[name]]

    # -- the connection ----------------------------------------------------------------------

    def test_a_plaintext_client_is_told_to_use_tls_at_once(self):
        started = time.monotonic()
        line = self.fails(4, "topic", "list", "--timeout", "20s")
        self.assertIn("takes TLS connections only", line)
        self.assertLess(time.monotonic() - started, 10, "a plaintext client must not wait for its deadline")

    def test_a_client_that_trusts_another_ca_does_not_connect(self):
        args = ["--tls-ca", self.cert("other-ca.pem"), "--tls-cert", self.cert("client.pem"),
                "--tls-key", self.cert("client.key")]
        line = self.fails(4, "topic", "list", *args)
        self.assertIn("certificate did not verify", line)

    def test_a_client_without_a_certificate_is_refused(self):
        line = self.refused("topic", "list", "--tls-ca", self.cert("ca.pem"), "--token", TOKENS["admin"])
        self.assertIn("requires a client certificate", line)

    def test_an_expired_client_certificate_is_refused(self):
        line = self.refused("topic", "list", *self.mtls("expired-client"), "--token", TOKENS["admin"])
        self.assertIn("client certificate has expired", line)

    # -- who the caller is -------------------------------------------------------------------

    def test_a_client_certificate_alone_stands_for_its_name(self):
        topic = unique("billing.cert")
        (event_id,) = parse_ids(self.ok("produce", topic, "paid", *self.mtls()))
        self.assertGreater(event_id, 0)
        line = self.refused("produce", unique("orders.cert"), "x", *self.mtls())
        self.assertRegex(line, r"billing has no grant to produce to topic orders\.cert-")

    def test_an_unknown_token_is_refused_without_repeating_it(self):
        line = self.refused("topic", "list", *self.mtls(), "--token", "not-a-known-token")
        self.assertIn("unknown token", line)
        self.assertNotIn("not-a-known-token", line)
        self.assertNotIn("not-a-known-token", self.daemon.log())

    def test_the_token_comes_from_a_file_or_the_environment(self):
        token_file = Path(self.tmp) / "producer.token"
        token_file.write_text(TOKENS["producer"] + "\n")
        self.ok("produce", unique("orders.file"), "a", *self.mtls(), "--token-file", token_file)
        self.ok("produce", unique("orders.env"), "b", *self.mtls(), env={"GOETHE_TOKEN": TOKENS["producer"]})

    # -- grants ------------------------------------------------------------------------------

    def test_a_produce_grant_writes_but_cannot_read_or_describe(self):
        topic = unique("orders.p")
        self.ok("produce", topic, "one", *self.as_caller("producer"))
        self.ok("topic", "create", unique("orders.created"), *self.as_caller("producer"))
        for args, verb in ((["tail", topic], "consume from"), (["topic", "describe", topic], "describe"),
                           (["cursor", "get", topic, "c"], "consume from")):
            line = self.refused(*args, *self.as_caller("producer"))
            self.assertIn(f"producer has no grant to {verb} topic {topic}", line)
        self.assertIn("no grant to describe any topic", self.refused("topic", "list", *self.as_caller("producer")))
        line = self.refused("produce", "payments", "x", *self.as_caller("producer"))
        self.assertIn("no grant to produce to topic payments", line)

    def test_a_consume_grant_reads_and_keeps_cursors_but_cannot_write(self):
        topic = unique("orders.c")
        self.ok("produce", topic, "one", *self.as_caller("admin"))
        out = self.ok("consume", topic, "--consumer", "worker", "-o", "raw", *self.as_caller("consumer"))
        self.assertEqual(out, "one\n")
        self.assertIn("worker", self.ok("cursor", "list", topic, *self.as_caller("consumer")))
        self.ok("cursor", "set", topic, "worker", "beginning", *self.as_caller("consumer"))
        self.assertIn("no grant to produce to topic",
                      self.refused("produce", topic, "x", *self.as_caller("consumer")))
        self.assertIn("no grant to describe topic", self.refused("topic", "stats", topic, *self.as_caller("consumer")))

    def test_a_describe_grant_lists_only_its_topics(self):
        mine, theirs = unique("orders.d"), unique("billing.d")
        self.ok("produce", mine, "x", *self.as_caller("admin"))
        self.ok("produce", theirs, "x", *self.as_caller("admin"))
        listed = self.ok("topic", "list", "--no-headers", *self.as_caller("describer"))
        names = [line.split()[0] for line in listed.splitlines()]
        self.assertIn(mine, names)
        self.assertNotIn(theirs, names)
        self.ok("topic", "describe", mine, *self.as_caller("describer"))
        self.assertIn("no grant to consume from", self.refused("tail", mine, *self.as_caller("describer")))

    # -- the auth file on SIGHUP ---------------------------------------------------------------

    def test_sighup_rereads_the_auth_file_and_keeps_it_when_the_new_one_is_broken(self):
        topic = unique("audit")
        self.refused("produce", topic, "x", *self.as_caller("producer"))
        log_lines = len(self.daemon.stderr_lines)
        self.auth_file.write_text(auth_lines([f"auditor {hashlib.sha256(b'tok-audit').hexdigest()} produce:audit*"]))
        self.daemon.process.send_signal(signal.SIGHUP)
        wait_for(lambda: any("auth file reloaded" in line for line in self.daemon.stderr_lines[log_lines:]),
                 "the reload to be logged")
        self.ok("produce", topic, "x", *self.mtls(), "--token", "tok-audit")

        log_lines = len(self.daemon.stderr_lines)
        self.auth_file.write_text("auditor not-a-hash produce:*\n")
        self.daemon.process.send_signal(signal.SIGHUP)
        wait_for(lambda: any("cannot reload the auth file" in line for line in self.daemon.stderr_lines[log_lines:]),
                 "the refused reload to be logged")
        self.ok("produce", topic, "y", *self.mtls(), "--token", "tok-audit")
        self.auth_file.write_text(auth_lines())


class TLSWithTokensTests(SecureTestCase):
    """TLS without client certificates: callers are known by their tokens alone."""

    @classmethod
    def daemon_args(cls, certs, tmp):
        return ["--tls-cert", certs / "server.pem", "--tls-key", certs / "server.key", "--auth-file", Path(tmp) / "auth"]

    def test_a_call_without_a_token_is_refused_and_told_how_to_give_one(self):
        line = self.refused("topic", "list", "--tls-ca", self.cert("ca.pem"))
        self.assertIn("no token", line)
        self.assertIn("--token-file", line)

    def test_a_token_with_its_grant_is_served(self):
        topic = unique("orders.t")
        self.ok("produce", topic, "x", "--tls-ca", self.cert("ca.pem"), "--token", TOKENS["producer"])

    def test_a_tls_client_against_a_plaintext_daemon_is_told_so_at_once(self):
        plain = Daemon(Path(self.tmp) / "plain-data").start()
        self.addCleanup(plain.stop)
        started = time.monotonic()
        code, out, err = run_ctl(["topic", "list", "--tls-ca", self.cert("ca.pem"), "--timeout", "20s"],
                                 server=plain.address)
        self.assertEqual(code, 4, err)
        self.assertIn("does not speak TLS", self.assertOneErrorLine(err))
        self.assertLess(time.monotonic() - started, 10)

    def test_an_expired_server_certificate_is_not_trusted(self):
        expired = Daemon(Path(self.tmp) / "expired-data",
                         ["--tls-cert", self.certs / "expired.pem", "--tls-key", self.certs / "expired.key"]).start()
        self.addCleanup(expired.stop)
        code, _, err = run_ctl(["topic", "list", "--tls-ca", self.cert("ca.pem")], server=expired.address)
        self.assertEqual(code, 4, err)
        self.assertIn("certificate did not verify", self.assertOneErrorLine(err))


class CertificateRotationTests(SecureTestCase):
    """The daemon's certificate files are replaced while it runs."""

    @classmethod
    def daemon_args(cls, certs, tmp):
        shutil.copy(certs / "server.pem", Path(tmp) / "live.pem")
        shutil.copy(certs / "server.key", Path(tmp) / "live.key")
        return ["--tls-cert", Path(tmp) / "live.pem", "--tls-key", Path(tmp) / "live.key",
                "--tls-client-ca", certs / "ca.pem", "--auth-file", Path(tmp) / "auth"]

    def served_certificate(self):
        context = ssl.create_default_context(cafile=self.cert("ca.pem"))
        context.load_cert_chain(self.cert("client.pem"), self.cert("client.key"))
        with socket.create_connection(("127.0.0.1", self.daemon.port), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname="localhost") as tls:
                return tls.getpeercert(binary_form=True)

    def test_new_connections_get_the_new_certificate_while_open_ones_go_on(self):
        admin = self.mtls() + ["--token", TOKENS["admin"]]
        topic = unique("orders.rotation")
        self.ok("produce", topic, "before", *admin)
        follower = Streaming(["tail", topic, "-f", "-o", "raw", *admin], self.server)
        self.addCleanup(follower.kill)
        self.assertEqual(follower.read_line(), "before")

        renewed = ssl.PEM_cert_to_DER_cert((self.certs / "renewed.pem").read_text())
        self.assertNotEqual(self.served_certificate(), renewed)
        shutil.copy(self.certs / "renewed.key", Path(self.tmp) / "live.key.new")
        shutil.copy(self.certs / "renewed.pem", Path(self.tmp) / "live.pem.new")
        os.replace(Path(self.tmp) / "live.key.new", Path(self.tmp) / "live.key")
        os.replace(Path(self.tmp) / "live.pem.new", Path(self.tmp) / "live.pem")
        wait_for(lambda: self.served_certificate() == renewed, "the renewed certificate to be served")
        self.assertTrue(any("TLS certificate reloaded" in line for line in self.daemon.stderr_lines))

        self.ok("produce", topic, "after", *admin)
        self.assertEqual(follower.read_line(), "after", "the connection opened before the rotation goes on")


class ContextTests(SecureTestCase):
    """Saved contexts: a server with its credentials, in a file only its owner reads."""

    @classmethod
    def daemon_args(cls, certs, tmp):
        return ["--tls-cert", certs / "server.pem", "--tls-key", certs / "server.key",
                "--tls-client-ca", certs / "ca.pem", "--auth-file", Path(tmp) / "auth"]

    def setUp(self):
        self.config = tempfile.mkdtemp(dir=self.tmp)
        self.env = {"XDG_CONFIG_HOME": self.config}

    def add(self, name, *args):
        code, out, err = run_ctl(["context", "add", name, "--server", self.server, *args], env=self.env)
        self.assertEqual(code, 0, err)
        return out

    def test_a_used_context_supplies_server_and_credentials(self):
        token_file = Path(self.tmp) / "admin.token"
        token_file.write_text(TOKENS["admin"])
        self.assertIn("and in use", self.add("prod", *self.mtls(), "--token-file", token_file))
        self.add("readonly", *self.mtls(), "--token", TOKENS["describer"])
        path = Path(self.config) / "goethe" / "contexts.json"
        self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)

        topic = unique("orders.ctx")
        code, _, err = run_ctl(["produce", topic, "x"], env=self.env)
        self.assertEqual(code, 0, err)
        code, _, err = run_ctl(["produce", topic, "y", "--context", "readonly"], env=self.env)
        self.assertEqual(code, 5, err)
        self.assertIn("describer has no grant to produce", err)

        code, out, err = run_ctl(["context", "use", "readonly"], env=self.env)
        self.assertEqual(code, 0, err)
        code, out, err = run_ctl(["context", "list", "--no-headers"], env=self.env)
        rows = [line.split() for line in out.splitlines()]
        self.assertEqual([row[:2] for row in rows if row[0] == "*"], [["*", "readonly"]])
        self.assertIn(["prod", self.server, "mtls", str(token_file)], [row for row in rows if row[0] != "*"])

    def test_a_flag_wins_over_the_context(self):
        self.add("prod", *self.mtls(), "--token", TOKENS["describer"])
        code, _, err = run_ctl(["produce", unique("orders.flag"), "x", "--token", TOKENS["producer"]], env=self.env)
        self.assertEqual(code, 0, err)

    def test_an_unknown_context_is_a_usage_error(self):
        code, _, err = run_ctl(["topic", "list", "--context", "nowhere"], env=self.env)
        self.assertEqual(code, 2, err)
        self.assertIn("no context nowhere", err)

    def test_the_session_prompt_names_the_context(self):
        self.add("prod", *self.mtls(), "--token", TOKENS["admin"])
        env = base_env(XDG_STATE_HOME=tempfile.mkdtemp(dir=self.tmp), TERM="xterm", **self.env)
        child = pexpect.spawn(str(GOETHECTL), ["repl"], env=env, dimensions=(40, 250), timeout=10, encoding="utf-8")
        self.addCleanup(child.terminate, True)
        child.expect_exact(f"goethe prod {self.server}> ")
        child.send("topic list\r")
        child.expect_exact(f"goethe prod {self.server}> ")
        self.assertIn("TOPIC", child.before)


if __name__ == "__main__":
    unittest.main()
