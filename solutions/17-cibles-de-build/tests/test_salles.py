import unittest

from app.salles import libres

SALLES = [
    {"nom": "Atelier", "places": 8, "reservee": False},
    {"nom": "Auditorium", "places": 80, "reservee": True},
    {"nom": "Bulle", "places": 2, "reservee": False},
]


class TestLibres(unittest.TestCase):
    def test_salles_libres(self):
        self.assertEqual(libres(SALLES), ["Atelier", "Bulle"])

    def test_assez_de_places(self):
        self.assertEqual(libres(SALLES, places=4), ["Atelier"])

    def test_aucune(self):
        self.assertEqual(libres(SALLES, places=100), [])
