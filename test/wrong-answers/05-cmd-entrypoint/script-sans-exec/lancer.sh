#!/bin/sh
# Lance le programme avec les arguments reçus... mais sans exec : sh reste le
# processus 1 et python3 tourne en dessous.
python3 /app/salut.py "$@"
