#!/bin/sh
set -eu
REGISTRE=localhost:5000
docker build -t $REGISTRE/catalogue:1.4.2 -t $REGISTRE/catalogue:1.4 -t $REGISTRE/catalogue:1 -t $REGISTRE/catalogue:latest .
docker push $REGISTRE/catalogue:1.4.2
docker push $REGISTRE/catalogue:1.4
docker push $REGISTRE/catalogue:1
docker push $REGISTRE/catalogue:latest
CATALOGUE=$(docker inspect --format '{{index .RepoDigests 0}}' $REGISTRE/catalogue:1.4.2)
docker build -f Dockerfile.rapport --build-arg CATALOGUE="$CATALOGUE" -t "$REGISTRE/rapport:1.0.0" .
docker push "$REGISTRE/rapport:1.0.0"
