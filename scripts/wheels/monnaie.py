"""monnaie : formate des montants à la française (1 234,50 €)."""

__version__ = "1.0.0"


def euros(montant):
    """euros(1234.5) -> '1 234,50 €' (espace fine insécable pour les milliers)."""
    entier, decimales = f"{montant:,.2f}".split(".")
    return entier.replace(",", "\u202f") + "," + decimales + " €"
