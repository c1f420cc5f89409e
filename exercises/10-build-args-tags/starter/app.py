"""Le catalogue annonce sa version (bibliothèque standard seulement).

La version est lue, au lancement, dans la variable d'environnement
APP_VERSION. Le programme affiche son nom et sa version, puis s'arrête.
"""
import os


def main() -> None:
    version = os.environ.get("APP_VERSION", "").strip()
    if version:
        print(f"catalogue version {version}")
    else:
        print("catalogue version inconnue (la variable APP_VERSION est absente ou vide)")


if __name__ == "__main__":
    main()
