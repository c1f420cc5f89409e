#!/bin/sh
# Imprime l'étiquette d'expédition d'une commande, avec le QR code de son suivi.
#   etiquette.sh [NUMERO_DE_COMMANDE]     (2024-001 par défaut)
# Il a besoin du programme qrencode (paquet Debian « qrencode »).
set -eu

commande="${1:-2024-001}"
suivi="https://boutique.example/suivi/${commande}"

if ! command -v qrencode >/dev/null 2>&1; then
  echo "qrencode est introuvable : installez le paquet qrencode dans l'image." >&2
  exit 1
fi

echo "Le Comptoir du Café — étiquette d'expédition"
echo "Commande n° ${commande}"
echo "Suivi : ${suivi}"
qrencode -t UTF8 -m 1 "${suivi}"
