"""Producing to a topic that does not exist creates it, as Goethe v1 did; goethectl says so on
stderr, so that a mistyped name is noticed."""

import unittest

from support import GoetheTestCase, unique


class CreatedTopicNoteTest(GoetheTestCase):
    def test_producing_to_a_new_topic_says_it_was_created(self):
        topic = unique("ordres")
        code, out, err = self.ctl("produce", topic, "first")
        self.assertEqual(code, 0, err)
        self.assertEqual(err.strip(), f"goethectl: created topic {topic}")
        self.assertEqual(len(out.split()), 1, "the id still goes to stdout")
        code, out, err = self.ctl("produce", topic, "second")
        self.assertEqual(code, 0, err)
        self.assertEqual(err, "", "an existing topic gets no note")

    def test_lines_to_a_new_topic_say_it_once(self):
        topic = unique("lines")
        code, out, err = self.ctl("produce", topic, input="a\nb\nc\n")
        self.assertEqual(code, 0, err)
        self.assertEqual(err.splitlines(), [f"goethectl: created topic {topic}"])
        self.assertEqual(len(out.split()), 3)


if __name__ == "__main__":
    unittest.main()
