// L'API de la boutique : la liste des produits, en JSON. Aucune dépendance à
// l'exécution (petit-assert ne sert qu'aux tests). Les réglages viennent des
// variables d'environnement : PORT (3000 par défaut) et, en production,
// PAYMENT_API_KEY, passée au lancement (docker run --env-file .env).
const http = require("node:http");
const { name, version } = require("../package.json");

const port = Number(process.env.PORT || 3000);
const products = [
  { id: 1, nom: "Tasse en grès", prix: 14.5 },
  { id: 2, nom: "Carnet ligné", prix: 6.9 },
  { id: 3, nom: "Stylo plume", prix: 32 },
];

const server = http.createServer((request, response) => {
  const send = (status, body) => {
    response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    response.end(JSON.stringify(body) + "\n");
  };
  if (request.url === "/") return send(200, { application: name, version, paiements: Boolean(process.env.PAYMENT_API_KEY) });
  if (request.url === "/produits") return send(200, products);
  if (request.url === "/sante") return send(200, { statut: "ok" });
  send(404, { erreur: "page inconnue" });
});

server.listen(port, "0.0.0.0", () => console.log(`${name} ${version} à l'écoute sur le port ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
