"""Lance les tests du dossier tests/ et écrit le résultat sur la sortie standard."""
import sys
import unittest

suite = unittest.defaultTestLoader.discover("tests", top_level_dir=".")
resultat = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
sys.exit(0 if resultat.wasSuccessful() else 1)
