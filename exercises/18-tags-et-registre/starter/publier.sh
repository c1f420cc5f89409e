#!/bin/sh
# Exercice 18 — publier le catalogue dans le registre, puis le rapport.
#
# Sur votre machine, lancez d'abord un registre :
#   docker run -d --name registre -p 127.0.0.1:5000:5000 registry:2
# puis ce script : sh publier.sh
#
# Le correcteur ne lance pas ce script : il lit ses lignes docker build,
# docker tag, docker push et NOM=$(docker inspect ...), et les exécute
# lui-même, avec son propre registre à la place de localhost:5000.
set -eu

docker build -t localhost:5000/catalogue:latest .
docker push localhost:5000/catalogue:latest

# TODO 1 : le catalogue est en version 1.4.2. Donnez à la même image les tags
#          1.4.2, 1.4, 1 et latest, et poussez-les tous.
# TODO 2 : lisez le digest que le registre a donné à la 1.4.2, et construisez le
#          rapport sur ce digest (--build-arg CATALOGUE=...), pas sur un tag.

docker build -f Dockerfile.rapport --build-arg CATALOGUE=localhost:5000/catalogue:latest -t localhost:5000/rapport:1.0.0 .
docker push localhost:5000/rapport:1.0.0
