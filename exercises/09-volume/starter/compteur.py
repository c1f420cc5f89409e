"""Un compteur de visites (bibliothèque standard seulement).

    GET /        compte une visite de plus et renvoie le total
    GET /sante   répond « ok » sans compter

Le total est gardé dans /data/visites.txt : tant que ce fichier survit, le
compte survit, même si le conteneur est supprimé.
"""
import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA_DIR = Path("/data")
COUNT_FILE = DATA_DIR / "visites.txt"
PORT = 8000
lock = threading.Lock()


def count_visit() -> int:
    with lock:
        visits = int(COUNT_FILE.read_text()) if COUNT_FILE.exists() else 0
        visits += 1
        # Écrire à côté puis renommer : un arrêt brutal ne laisse jamais un fichier à moitié écrit.
        temporary = DATA_DIR / "visites.txt.tmp"
        temporary.write_text(str(visits))
        os.replace(temporary, COUNT_FILE)
        return visits


class Handler(BaseHTTPRequestHandler):
    def send_json(self, status: int, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode() + b"\n"
        self.send_response(status)
        self.send_header("content-type", "application/json; charset=utf-8")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/sante":
            self.send_json(200, {"statut": "ok"})
            return
        if self.path != "/":
            self.send_json(404, {"erreur": "page inconnue"})
            return
        try:
            visits = count_visit()
        except OSError as error:
            self.send_json(500, {"erreur": f"impossible d'écrire dans {DATA_DIR} (UID {os.getuid()}) : {error.strerror}"})
            return
        self.send_json(200, {"visites": visits, "message": f"Visite n° {visits}"})


def main() -> None:
    # `docker stop` envoie SIGTERM : on s'arrête proprement.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = ThreadingHTTPServer(("0.0.0.0", PORT), Handler)
    print(f"Compteur de visites sur le port {PORT}, données dans {DATA_DIR}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
