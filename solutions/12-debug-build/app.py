"""Affiche le catalogue de la boutique, lu dans catalogue.json.

catalogue.json n'est pas dans le dossier de l'exercice : il est fabriqué
pendant le build, à partir de produits.csv, par l'outil csv-vers-json.
"""
import json
import sys
from pathlib import Path

CATALOGUE = Path(__file__).with_name("catalogue.json")


def euros(montant):
    return f"{montant:.2f}".replace(".", ",") + " €"


def main():
    if not CATALOGUE.exists():
        print(
            f"{CATALOGUE} est introuvable : il doit être fabriqué pendant le build "
            "par « RUN csv-vers-json produits.csv catalogue.json ».",
            file=sys.stderr,
        )
        return 1
    produits = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    print(f"Catalogue : {len(produits)} produits")
    for p in produits:
        print(f"- {p['reference']}  {p['nom']:<22} {euros(p['prix']):>9}  (stock : {p['stock']})")
    valeur = sum(p["prix"] * p["stock"] for p in produits)
    print(f"Valeur du stock : {euros(valeur)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
