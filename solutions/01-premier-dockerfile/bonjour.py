"""Affiche un message de bienvenue et la version de Python qui l'exécute."""
import platform


def main() -> None:
    print("Bonjour depuis un conteneur Docker !")
    print(f"Python {platform.python_version()}")


if __name__ == "__main__":
    main()
