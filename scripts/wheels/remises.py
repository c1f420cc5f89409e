"""remises : applique un pourcentage de remise à un montant."""

__version__ = "1.0.0"


def remise(montant, pourcentage):
    """remise(100, 15) -> 85.0"""
    return round(montant * (100 - pourcentage) / 100, 2)
