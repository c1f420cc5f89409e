"""Affiche le récapitulatif d'un panier de la boutique.

Dépend du paquet « monnaie » (voir requirements.txt), livré dans wheels/.
"""
import sys

from monnaie import euros

PANIER = [
    # (quantité, produit, prix unitaire)
    (2, "Café moulu 250 g", 6.90),
    (1, "Tasse en grès", 12.00),
    (3, "Thé vert 100 g", 4.50),
]


def main():
    print("Panier n° 2024-001")
    total = 0.0
    for quantite, produit, prix in PANIER:
        ligne = quantite * prix
        total += ligne
        print(f"- {quantite} x {produit} : {euros(ligne)}")
    print(f"Total : {euros(total)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
