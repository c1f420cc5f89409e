"""csv-vers-json : convertit un fichier CSV (avec en-tête) en une liste JSON.

Usage : csv-vers-json ENTREE.csv SORTIE.json
Les valeurs numériques (entiers, décimaux) deviennent des nombres.
"""
import csv
import json
import sys


def _valeur(texte):
    for convertir in (int, float):
        try:
            return convertir(texte)
        except ValueError:
            pass
    return texte


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage : csv-vers-json ENTREE.csv SORTIE.json", file=sys.stderr)
        return 2
    entree, sortie = args
    try:
        with open(entree, newline="", encoding="utf-8") as f:
            lignes = [{k: _valeur(v) for k, v in ligne.items()} for ligne in csv.DictReader(f)]
    except FileNotFoundError:
        print(f"csv-vers-json : fichier introuvable : {entree}", file=sys.stderr)
        return 1
    with open(sortie, "w", encoding="utf-8") as f:
        json.dump(lignes, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(f"csv-vers-json : {len(lignes)} ligne(s) converties ({entree} -> {sortie})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
