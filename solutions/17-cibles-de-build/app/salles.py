"""Les salles de réunion, lues dans donnees/salles.json."""
import json
from pathlib import Path

DONNEES = Path(__file__).resolve().parent.parent / "donnees" / "salles.json"


def charger(chemin=DONNEES):
    """La liste des salles : nom, places, reservee."""
    return json.loads(Path(chemin).read_text(encoding="utf-8"))


def libres(salles, places=1):
    """Les noms des salles libres d'au moins `places` places."""
    return [s["nom"] for s in salles if not s["reservee"] and s["places"] >= places]
