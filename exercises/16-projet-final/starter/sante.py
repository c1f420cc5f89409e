"""Vérifie que l'API répond : code de sortie 0 si GET /sante renvoie 200, 1 sinon.

Pour le HEALTHCHECK de l'image : python3 n'a pas besoin de curl.
"""
import os
import sys
import urllib.request

url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/sante"
try:
    with urllib.request.urlopen(url, timeout=2) as reponse:
        sys.exit(0 if reponse.status == 200 else 1)
except OSError as erreur:
    print(f"{url} : {erreur}", file=sys.stderr)
    sys.exit(1)
