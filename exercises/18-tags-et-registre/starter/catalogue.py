"""Le catalogue de la boutique : ses produits et sa version."""
VERSION = "1.4.2"

PRODUITS = [
    {"nom": "Café moulu 250 g", "prix": 6.5},
    {"nom": "Thé vert", "prix": 4.25},
    {"nom": "Tasse", "prix": 8.0},
]

if __name__ == "__main__":
    print(f"catalogue {VERSION} : {len(PRODUITS)} produits")
