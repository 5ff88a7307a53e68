"""goethectl cluster status against a single node: it leads its cluster of one."""

import json
import unittest

from support import GoetheTestCase, free_port, run_ctl


class ClusterStatusTest(GoetheTestCase):
    def node_id(self):
        out = self.ok("version", "-o", "json")
        return json.loads(out.strip().splitlines()[-1])["node_id"]

    def test_json_names_the_cluster_its_leader_and_each_node(self):
        status = json.loads(self.ok("cluster", "status", "-o", "json"))
        node = self.node_id()
        self.assertEqual(status["cluster"], "goethe")
        self.assertEqual(status["leader"], node)
        self.assertEqual(status["epoch"], 0)
        self.assertEqual([n["id"] for n in status["nodes"]], [node])
        only = status["nodes"][0]
        self.assertEqual(only["role"], "leader")
        self.assertIs(only["healthy"], True)
        self.assertEqual(only["lag"], 0)
        self.assertTrue(only["last_seen"].endswith("Z"), only["last_seen"])
        self.assertEqual(set(only), {"id", "address", "role", "epoch", "healthy", "last_seen", "lag"})

    def test_text_is_a_table_under_a_line_on_the_leader(self):
        out = self.ok("cluster", "status")
        lines = out.splitlines()
        self.assertRegex(lines[0], r"^cluster goethe: leader \S+, epoch 0$")
        self.assertEqual(lines[1].split(), ["NODE", "ADDRESS", "ROLE", "EPOCH", "HEALTH", "LAST", "SEEN", "LAG"])
        self.assertEqual(lines[2].split()[2:5], ["leader", "0", "alive"])

    def test_an_unreachable_node_exits_4(self):
        code, out, err = run_ctl(["cluster", "status"], server=f"127.0.0.1:{free_port()}")
        self.assertEqual(code, 4, err)
        self.assertEqual(out, "")
        self.assertIn("cannot reach goethe", err)


if __name__ == "__main__":
    unittest.main()
