"""Un petit serveur de dépôt de fichiers (bibliothèque standard seulement).

    POST /fichiers/<nom>   enregistre le corps de la requête dans data/<nom>
    GET  /fichiers/<nom>   renvoie le fichier
    GET  /                 dit sous quel utilisateur tourne le serveur

Les fichiers vont dans le dossier data/ à côté de ce script.
"""
import json
import os
import pwd
import re
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
PORT = 8000
NAME = re.compile(r"^/fichiers/([A-Za-z0-9._-]{1,100})$")


def current_user() -> str:
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return f"(UID {os.getuid()} sans nom)"


class Handler(BaseHTTPRequestHandler):
    def send_json(self, status: int, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode() + b"\n"
        self.send_response(status)
        self.send_header("content-type", "application/json; charset=utf-8")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/":
            self.send_json(200, {"utilisateur": current_user(), "uid": os.getuid(), "donnees": str(DATA_DIR)})
            return
        match = NAME.match(self.path)
        if not match or not (DATA_DIR / match[1]).is_file():
            self.send_json(404, {"erreur": "fichier inconnu"})
            return
        data = (DATA_DIR / match[1]).read_bytes()
        self.send_response(200)
        self.send_header("content-type", "application/octet-stream")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        match = NAME.match(self.path)
        if not match:
            self.send_json(404, {"erreur": "utilisez POST /fichiers/<nom>"})
            return
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            (DATA_DIR / match[1]).write_bytes(body)
        except OSError as error:
            self.send_json(500, {"erreur": f"impossible d'écrire dans {DATA_DIR} en tant que {current_user()} : {error.strerror}"})
            return
        self.send_json(201, {"enregistre": match[1], "octets": len(body)})


def main() -> None:
    # `docker stop` envoie SIGTERM : on s'arrête proprement.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = ThreadingHTTPServer(("0.0.0.0", PORT), Handler)
    print(f"Serveur de fichiers sur le port {PORT}, utilisateur {current_user()}, données dans {DATA_DIR}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
