#!/bin/sh
# Affiche le sommaire des citations, puis chaque citation.
set -eu
racine=/opt/citations

cat "$racine/LISEZMOI.txt"
echo "Auteurs : $(tr '\n' ' ' < "$racine/index.txt")"
echo
for fichier in "$racine"/auteurs/*.txt; do
  cat "$fichier"
  echo
done
