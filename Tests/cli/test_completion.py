"""goethectl completion scripts and the dynamic (server-backed) completion of topic and consumer names."""

import os
import shutil
import subprocess
import time
import unittest

from support import (BIN_DIR, COMPLETIONS_DIR, GOETHECTL, GoetheTestCase, SilentServer, base_env, free_port,
                     run_ctl, unique)

SHIPPED = {"bash": "goethectl.bash", "zsh": "_goethectl", "fish": "goethectl.fish"}


class CompletionScriptTests(unittest.TestCase):
    maxDiff = None

    def script(self, shell):
        code, out, err = run_ctl(["completion", shell])
        self.assertEqual((code, err), (0, ""))
        return out

    def assertMatchesShippedFile(self, shell):
        path = COMPLETIONS_DIR / SHIPPED[shell]
        if not path.exists():
            self.skipTest(f"{path} does not exist yet (completions/ is generated separately)")
        self.assertEqual(self.script(shell), path.read_text(),
                         f"completions/{path.name} differs from `goethectl completion {shell}`; regenerate it")

    def test_bash_script_matches_the_shipped_file(self):
        self.assertMatchesShippedFile("bash")

    def test_zsh_script_matches_the_shipped_file(self):
        self.assertMatchesShippedFile("zsh")

    def test_fish_script_matches_the_shipped_file(self):
        self.assertMatchesShippedFile("fish")

    def test_bash_script_is_valid_and_registers_goethectl(self):
        bash = shutil.which("bash")
        if not bash:
            self.skipTest("bash is not installed")
        script = self.script("bash")
        self.assertIn("complete -o filenames -F _goethectl goethectl", script)
        checked = subprocess.run([bash, "-n"], input=script.encode(), stderr=subprocess.PIPE, timeout=30)
        self.assertEqual(checked.returncode, 0, checked.stderr)

    def test_zsh_and_fish_scripts(self):
        self.assertTrue(self.script("zsh").startswith("#compdef goethectl"))
        self.assertIn("complete -c 'goethectl'", self.script("fish"))
        for shell in ("zsh", "fish"):
            binary = shutil.which(shell)
            if binary:
                with self.subTest(shell=shell):
                    checked = subprocess.run([binary, "-n"], input=self.script(shell).encode(),
                                             stderr=subprocess.PIPE, timeout=30)
                    self.assertEqual(checked.returncode, 0, checked.stderr)

    def test_unknown_shell_is_a_usage_error(self):
        code, out, err = run_ctl(["completion", "tcsh"])
        self.assertEqual((code, out), (2, ""))
        self.assertEqual(len(err.splitlines()), 1)
        self.assertTrue(err.startswith("goethectl: "), err)


class DynamicCompletionTests(GoetheTestCase):
    """The generated bash script asks `goethectl ---completion SUBCOMMAND... -- ARGUMENT CWORD INDEX WORDS...`."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topics = sorted([unique("orders"), unique("orders"), unique("zeta")])
        for topic in cls.topics:
            code, _, err = run_ctl(["topic", "create", topic], server=cls.server)
            assert code == 0, err
        cls.consumer = unique("billing")
        code, _, err = run_ctl(["cursor", "set", cls.topics[0], cls.consumer, "beginning"], server=cls.server)
        assert code == 0, err
        code, cls.bash_script, err = run_ctl(["completion", "bash"])
        assert code == 0, err

    def call_for(self, *path_and_argument):
        """The words before the command line in the script's own call, checked against the script."""
        *path, argument = path_and_argument
        call = "---completion " + " ".join(path) + " -- " + argument + ' "${COMP_CWORD}"'
        self.assertIn(call, self.bash_script, "the bash script calls goethectl this way")
        self.assertIn('"${COMP_WORDS[0]}" "${@}" "${words[@]}"', self.bash_script)
        return ["---completion", *path, "--", argument]

    def complete(self, call, words, server, placement="env", timeout=30):
        """Runs goethectl as the script does for the last word of `words` (cursor at its end)."""
        args = call + [str(len(words) - 1), str(len(words[-1]))] + words
        env = {"GOETHE_SERVER": server} if placement == "env" else {}
        started = time.monotonic()
        completed = subprocess.run([str(GOETHECTL)] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, env=base_env(**env), timeout=timeout)
        return completed.returncode, completed.stdout.decode(), completed.stderr.decode(), time.monotonic() - started

    def test_topic_names_from_the_running_server(self):
        call = self.call_for("topic", "describe", "positional@0")
        code, out, err, _ = self.complete(call, ["goethectl", "topic", "describe", ""], self.server)
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(out.splitlines(), self.topics)

    def test_topic_names_filtered_by_the_typed_prefix(self):
        call = self.call_for("tail", "positional@0")
        code, out, err, _ = self.complete(call, ["goethectl", "tail", "ord"], self.server)
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(out.splitlines(), [t for t in self.topics if t.startswith("orders")])

    def test_server_named_on_the_line_is_asked(self):
        call = self.call_for("tail", "positional@0")
        code, out, err, _ = self.complete(
            call, ["goethectl", "tail", "--server", self.server, "ze"], f"127.0.0.1:{free_port()}")
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(out.splitlines(), [t for t in self.topics if t.startswith("zeta")])

    def test_consumer_names(self):
        call = self.call_for("consume", "--consumer")
        code, out, err, _ = self.complete(call, ["goethectl", "consume", self.topics[0], "--consumer", ""], self.server)
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(out.splitlines(), [self.consumer])

    def test_server_down_prints_nothing_quickly(self):
        call = self.call_for("topic", "describe", "positional@0")
        code, out, err, seconds = self.complete(
            call, ["goethectl", "topic", "describe", ""], f"127.0.0.1:{free_port()}")
        self.assertEqual((code, out, err), (0, "", ""))
        self.assertLess(seconds, 5)

    def test_hung_server_prints_nothing_quickly(self):
        silent = SilentServer()
        self.addCleanup(silent.close)
        call = self.call_for("tail", "positional@0")
        try:
            code, out, err, seconds = self.complete(call, ["goethectl", "tail", ""], silent.address, timeout=4)
        except subprocess.TimeoutExpired:
            self.fail("completion still ran after the deadline")
        self.assertEqual((code, out), (0, ""))
        self.assertLess(seconds, 5)

    # -- through bash itself ------------------------------------------------------------------

    def bash_complete(self, line, server):
        """COMPREPLY after sourcing `goethectl completion bash` and completing `line` (cursor at the end)."""
        bash = shutil.which("bash")
        if not bash:
            self.skipTest("bash is not installed")
        script_path = os.path.join(self.tmp, "goethectl.bash")
        with open(script_path, "w") as file:
            file.write(self.bash_script)
        program = f"""
            source {script_path}
            read -r -a COMP_WORDS <<< "$LINE"
            [[ "$LINE" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
            COMP_LINE="$LINE"
            COMP_POINT=${{#LINE}}
            _goethectl goethectl "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
            printf '%s\\n' "${{COMPREPLY[@]}}"
        """
        env = base_env(GOETHE_SERVER=server, LINE=line, PATH=f"{BIN_DIR}{os.pathsep}{os.environ.get('PATH', '')}")
        started = time.monotonic()
        result = subprocess.run([bash, "-c", program], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        return [line for line in result.stdout.decode().splitlines() if line], time.monotonic() - started

    def test_bash_completes_topic_names(self):
        replies, _ = self.bash_complete("goethectl tail ord", self.server)
        self.assertEqual(replies, [t for t in self.topics if t.startswith("orders")])

    def test_bash_completes_consumer_names(self):
        replies, _ = self.bash_complete(f"goethectl cursor get {self.topics[0]} ", self.server)
        self.assertEqual(replies, [self.consumer])

    def test_bash_completes_subcommands(self):
        replies, _ = self.bash_complete("goethectl topic ", self.server)
        self.assertEqual(sorted(r for r in replies if not r.startswith("-")), ["create", "delete", "describe", "list", "purge", "set", "stats"])

    def test_bash_offers_every_subcommand_a_complete_name_begins(self):
        # `re` completes to the common prefix `repl`; TAB there must still offer `replay`.
        for line in ("goethectl re", "goethectl repl", "goethectl --utc repl"):
            with self.subTest(line=line):
                replies, _ = self.bash_complete(line, self.server)
                self.assertEqual(sorted(replies), ["repl", "replay"])
        replies, _ = self.bash_complete("goethectl replay", self.server)
        self.assertEqual(replies, ["replay"])
        replies, _ = self.bash_complete("goethectl repl --conti", self.server)
        self.assertEqual(replies, ["--continue-on-error"])

    def test_bash_with_the_server_down_offers_nothing(self):
        replies, seconds = self.bash_complete("goethectl tail ", f"127.0.0.1:{free_port()}")
        self.assertEqual(replies, [])
        self.assertLess(seconds, 5)


if __name__ == "__main__":
    unittest.main()
