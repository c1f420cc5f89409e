"""Inventaire d'une boutique : signale les articles à commander.

Réglages, lus dans les variables d'environnement (aucune valeur par défaut
dans le code : c'est à l'image de les déclarer) :
  BOUTIQUE_NOM   le nom de la boutique, en tête du rapport
  SEUIL_ALERTE   un article est « à commander » sous cette quantité

Lit stock.csv et écrit rapports/inventaire.txt, deux chemins RELATIFS au
dossier courant.
"""
import csv
import os
import sys

STOCK = "stock.csv"
RAPPORT = os.path.join("rapports", "inventaire.txt")


def reglage(nom: str) -> str:
    valeur = os.environ.get(nom)
    if not valeur:
        sys.exit(f"Erreur : la variable d'environnement {nom} n'est pas définie. Déclarez sa valeur par défaut dans l'image.")
    return valeur


def main() -> None:
    boutique = reglage("BOUTIQUE_NOM")
    try:
        seuil = int(reglage("SEUIL_ALERTE"))
    except ValueError:
        sys.exit(f"Erreur : SEUIL_ALERTE doit être un nombre entier, il vaut « {os.environ['SEUIL_ALERTE']} ».")
    if not os.path.exists(STOCK):
        sys.exit(f"Erreur : {STOCK} est introuvable dans le dossier courant ({os.getcwd()}). Le programme doit tourner dans son propre dossier.")

    with open(STOCK, newline="", encoding="utf-8") as fichier:
        articles = [(ligne["article"], int(ligne["quantite"])) for ligne in csv.DictReader(fichier)]

    lignes = [f"Inventaire — {boutique} (seuil d'alerte : {seuil})"]
    a_commander = 0
    for article, quantite in articles:
        alerte = quantite < seuil
        a_commander += alerte
        lignes.append(f"  {article} : {quantite}" + ("  ← à commander" if alerte else ""))
    lignes.append(f"À commander : {a_commander} article(s)")
    texte = "\n".join(lignes) + "\n"

    os.makedirs(os.path.dirname(RAPPORT), exist_ok=True)
    with open(RAPPORT, "w", encoding="utf-8") as fichier:
        fichier.write(texte)
    print(texte, end="")
    print(f"Rapport écrit dans {os.path.abspath(RAPPORT)}")


if __name__ == "__main__":
    main()
