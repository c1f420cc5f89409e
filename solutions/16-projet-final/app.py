"""API produits de la boutique, avec la seule bibliothèque standard (et monnaie).

    GET  /                    nom de la boutique et version de l'API
    GET  /produits            la liste des produits
    GET  /produits/<ref>      un produit (404 s'il n'existe pas)
    POST /produits            ajoute un produit (en-tête Authorization: Bearer <ADMIN_TOKEN>)
    GET  /sante               {"statut": "ok"} : pour le HEALTHCHECK

Réglages, lus dans l'environnement au démarrage :
    PORT          port d'écoute (8000 par défaut)
    BOUTIQUE_NOM  nom affiché (« Le Comptoir du Café » par défaut)
    ADMIN_TOKEN   jeton des écritures ; sans lui, POST /produits est refusé (503)

S'arrête proprement (code 0) sur SIGTERM, le signal de `docker stop`.
"""
import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from monnaie import euros

VERSION = "1.0.0"
PORT = int(os.environ.get("PORT", "8000"))
BOUTIQUE_NOM = os.environ.get("BOUTIQUE_NOM", "Le Comptoir du Café")
ADMIN_TOKEN = os.environ.get("ADMIN_TOKEN", "")

PRODUITS = json.loads(Path(__file__).with_name("produits.json").read_text(encoding="utf-8"))


def affiche(produit):
    return {**produit, "prix_affiche": euros(produit["prix"])}


class Api(BaseHTTPRequestHandler):
    server_version = "boutique/" + VERSION

    def repondre(self, statut, corps):
        donnees = json.dumps(corps, ensure_ascii=False).encode("utf-8")
        self.send_response(statut)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(donnees)))
        self.end_headers()
        self.wfile.write(donnees)

    def do_GET(self):
        if self.path == "/":
            self.repondre(200, {"boutique": BOUTIQUE_NOM, "version": VERSION})
        elif self.path == "/sante":
            self.repondre(200, {"statut": "ok"})
        elif self.path == "/produits":
            self.repondre(200, [affiche(p) for p in PRODUITS])
        elif self.path.startswith("/produits/"):
            reference = self.path.removeprefix("/produits/")
            produit = next((p for p in PRODUITS if p["reference"] == reference), None)
            if produit:
                self.repondre(200, affiche(produit))
            else:
                self.repondre(404, {"erreur": f"produit {reference} inconnu"})
        else:
            self.repondre(404, {"erreur": "chemin inconnu"})

    def do_POST(self):
        if self.path != "/produits":
            self.repondre(404, {"erreur": "chemin inconnu"})
            return
        if not ADMIN_TOKEN:
            self.repondre(503, {"erreur": "écritures désactivées : ADMIN_TOKEN n'est pas défini"})
            return
        if self.headers.get("Authorization") != f"Bearer {ADMIN_TOKEN}":
            self.repondre(401, {"erreur": "jeton manquant ou invalide"})
            return
        try:
            longueur = int(self.headers.get("Content-Length", "0"))
            produit = json.loads(self.rfile.read(longueur))
            nouveau = {"reference": str(produit["reference"]), "nom": str(produit["nom"]),
                       "prix": float(produit["prix"]), "stock": int(produit.get("stock", 0))}
        except (ValueError, KeyError, TypeError):
            self.repondre(400, {"erreur": "produit invalide : reference, nom et prix sont obligatoires"})
            return
        PRODUITS.append(nouveau)
        self.repondre(201, affiche(nouveau))

    def log_message(self, format, *args):
        print(f"{self.address_string()} {format % args}", flush=True)


def main():
    serveur = ThreadingHTTPServer(("0.0.0.0", PORT), Api)

    def arreter(signum, frame):
        print("SIGTERM reçu : arrêt du serveur", flush=True)
        # shutdown() attend la fin de serve_forever() : depuis un autre thread.
        threading.Thread(target=serveur.shutdown).start()

    signal.signal(signal.SIGTERM, arreter)
    print(f"{BOUTIQUE_NOM} : API v{VERSION} sur le port {PORT}", flush=True)
    serveur.serve_forever()
    serveur.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
