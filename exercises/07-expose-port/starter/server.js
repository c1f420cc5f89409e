// Un petit serveur HTTP sans dépendance (seulement la bibliothèque standard de
// Node.js). Il écoute sur le port donné par la variable d'environnement PORT,
// 3000 par défaut, sur toutes les interfaces (0.0.0.0).
const http = require("node:http");

const port = Number(process.env.PORT || 3000);

const server = http.createServer((request, response) => {
  const body =
    request.url === "/sante"
      ? { statut: "ok" }
      : { message: "Bonjour depuis Node.js dans un conteneur !", port };
  response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body) + "\n");
});

server.listen(port, "0.0.0.0", () => {
  console.log(`Serveur à l'écoute sur le port ${port}`);
});

// `docker stop` envoie SIGTERM : on ferme proprement au lieu d'attendre d'être tué.
process.on("SIGTERM", () => server.close(() => process.exit(0)));
