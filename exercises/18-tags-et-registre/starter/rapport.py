"""Le rapport des prix, construit sur l'image du catalogue (qui fournit catalogue.py)."""
from catalogue import PRODUITS, VERSION

print(f"Rapport des prix, catalogue {VERSION}")
for produit in PRODUITS:
    print(f"  {produit['nom']} : {produit['prix']:.2f} €")
