#!/bin/sh
# Les articles à recommander, lus dans un fichier JSON grâce à jq.
# Usage : stock.sh [fichier.json]   (par défaut /app/stock.json)
set -eu
fichier="${1:-/app/stock.json}"

if ! command -v jq >/dev/null 2>&1; then
  echo "Erreur : jq est introuvable. Ajoutez-le à paquets.txt." >&2
  exit 127
fi

jq -r '
  "Stock de \(.boutique)",
  (.articles[] | select(.stock < .seuil) | "  à recommander : \(.nom) (\(.stock) en stock, seuil \(.seuil))"),
  "\([.articles[] | select(.stock < .seuil)] | length) article(s) à recommander"
' "$fichier"
