#!/bin/sh
# Affiche le récapitulatif des commandes d'un fichier JSON, grâce à jq.
# Usage : rapport.sh [fichier.json]   (par défaut /app/commandes.json)
set -eu
fichier="${1:-/app/commandes.json}"

if ! command -v jq >/dev/null 2>&1; then
  echo "Erreur : jq est introuvable. Installez le paquet jq dans l'image." >&2
  exit 127
fi

jq -r '
  "Boutique : \(.boutique)",
  (.commandes[] | "Commande \(.numero) (\(.client)) : \(.articles | length) article(s), \([.articles[] | .prix * .quantite] | add) €"),
  "Total : \([.commandes[].articles[] | .prix * .quantite] | add) €"
' "$fichier"
