"""salut : dit bonjour à quelqu'un, dans la langue choisie.

  python3 salut.py                      Bonjour, le monde !
  python3 salut.py --nom Alice          Bonjour, Alice !
  python3 salut.py --help               l'aide
  python3 salut.py --attendre           salue, puis attend un signal d'arrêt
"""
import argparse
import os
import signal
import sys

SALUTATIONS = {"de": "Hallo", "en": "Hello", "es": "Hola", "fr": "Bonjour"}


def arreter(numero: int, _frame: object) -> None:
    print(f"Signal {signal.Signals(numero).name} reçu : au revoir.", flush=True)
    sys.exit(0)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="salut",
        description="Dit bonjour à quelqu'un, dans la langue choisie.",
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")
    parser.add_argument("--nom", default="le monde", help="à qui dire bonjour (par défaut : le monde)")
    parser.add_argument("--langue", choices=sorted(SALUTATIONS), default="fr", help="langue de la salutation (par défaut : fr)")
    parser.add_argument("--attendre", action="store_true", help="après la salutation, attendre un signal d'arrêt (comme un service)")
    args = parser.parse_args()

    print(f"{SALUTATIONS[args.langue]}, {args.nom} !", flush=True)
    if args.attendre:
        signal.signal(signal.SIGTERM, arreter)
        signal.signal(signal.SIGINT, arreter)
        print(f"En attente d'un signal d'arrêt (PID {os.getpid()})…", flush=True)
        while True:
            signal.pause()


if __name__ == "__main__":
    main()
