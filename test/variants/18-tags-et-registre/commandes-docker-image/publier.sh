#!/bin/sh
# Exercice 18 — publier le catalogue dans le registre, puis le rapport (solution).
#
#   docker run -d --name registre -p 127.0.0.1:5000:5000 registry:2
#   sh publier.sh
set -eu

# Un seul build, quatre noms : 1.4.2 ne devrait plus bouger, 1.4 suit les
# correctifs, 1 les versions mineures, latest tout.
docker image build -t localhost:5000/catalogue:1.4.2 .
docker image tag localhost:5000/catalogue:1.4.2 localhost:5000/catalogue:1.4
docker image tag localhost:5000/catalogue:1.4.2 localhost:5000/catalogue:1
docker image tag localhost:5000/catalogue:1.4.2 localhost:5000/catalogue:latest
docker image push localhost:5000/catalogue:1.4.2
docker image push localhost:5000/catalogue:1.4
docker image push localhost:5000/catalogue:1
docker image push localhost:5000/catalogue:latest

# Le digest n'existe qu'une fois l'image poussée : Docker fabrique le manifeste
# au push, et le digest en est l'empreinte, que le registre vérifie et garde.
# Le rapport part de ce digest, qui ne désignera jamais une autre image.
CATALOGUE=$(docker image inspect --format '{{index .RepoDigests 0}}' localhost:5000/catalogue:1.4.2)
echo "Le rapport part de $CATALOGUE"
docker image build -f Dockerfile.rapport --build-arg CATALOGUE="$CATALOGUE" -t localhost:5000/rapport:1.0.0 .
docker image push localhost:5000/rapport:1.0.0
