"""Tests de l'API, à lancer sur la machine du développeur : python3 -m unittest.

Ils n'ont rien à faire dans l'image de production.
"""
import json
import os
import subprocess
import sys
import time
import unittest
import urllib.request
from pathlib import Path

DOSSIER = Path(__file__).resolve().parent.parent
PORT = "8765"


class TestApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        env = {**os.environ, "PORT": PORT, "BOUTIQUE_NOM": "Boutique de test", "PYTHONPATH": str(DOSSIER / "wheels" / "monnaie-1.0.0-py3-none-any.whl")}
        cls.serveur = subprocess.Popen([sys.executable, str(DOSSIER / "app.py")], env=env)
        time.sleep(1)

    @classmethod
    def tearDownClass(cls):
        cls.serveur.terminate()
        cls.serveur.wait(5)

    def get(self, chemin):
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{chemin}") as reponse:
            return json.loads(reponse.read())

    def test_accueil(self):
        self.assertEqual(self.get("/")["boutique"], "Boutique de test")

    def test_produits(self):
        self.assertEqual(len(self.get("/produits")), 4)


if __name__ == "__main__":
    unittest.main()
