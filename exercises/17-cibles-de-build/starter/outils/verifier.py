"""Vérifie un fichier de salles : python3 outils/verifier.py [donnees/salles.json]."""
import json
import sys

chemin = sys.argv[1] if len(sys.argv) > 1 else "donnees/salles.json"
try:
    with open(chemin, encoding="utf-8") as fichier:
        salles = json.load(fichier)
except (OSError, ValueError) as erreur:
    print(f"Impossible de lire {chemin} : {erreur}")
    sys.exit(1)

erreurs = []
for i, salle in enumerate(salles, start=1):
    if not isinstance(salle.get("nom"), str) or not salle["nom"]:
        erreurs.append(f"salle {i} : pas de nom")
    if not isinstance(salle.get("places"), int) or salle["places"] < 1:
        erreurs.append(f"salle {i} : nombre de places invalide")
    if not isinstance(salle.get("reservee"), bool):
        erreurs.append(f"salle {i} : « reservee » doit valoir true ou false")

for erreur in erreurs:
    print(erreur)
if erreurs:
    sys.exit(1)
print(f"Données valides : {len(salles)} salles")
