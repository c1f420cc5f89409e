// prix-ttc : un petit service HTTP de la boutique qui calcule des prix TTC.
//
//	GET /prix?ht=49.90  ->  {"ht":49.9,"taux_tva":20,"ttc":59.88}
//	GET /sante          ->  {"statut":"ok"}
//
// Il écoute sur le port PORT (8080 par défaut) et s'arrête proprement sur SIGTERM.
// Seulement la bibliothèque standard de Go : rien à télécharger.
package main

import (
	"context"
	"encoding/json"
	"log"
	"math"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

const tauxTVA = 20.0

func repondre(w http.ResponseWriter, statut int, corps any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(statut)
	_ = json.NewEncoder(w).Encode(corps)
}

func prix(w http.ResponseWriter, r *http.Request) {
	ht, err := strconv.ParseFloat(r.URL.Query().Get("ht"), 64)
	if err != nil || ht < 0 {
		repondre(w, http.StatusBadRequest, map[string]string{"erreur": "paramètre ht manquant ou invalide, par exemple /prix?ht=49.90"})
		return
	}
	ttc := math.Round(ht*(100+tauxTVA)) / 100
	repondre(w, http.StatusOK, map[string]float64{"ht": ht, "taux_tva": tauxTVA, "ttc": ttc})
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	routes := http.NewServeMux()
	routes.HandleFunc("/prix", prix)
	routes.HandleFunc("/sante", func(w http.ResponseWriter, r *http.Request) {
		repondre(w, http.StatusOK, map[string]string{"statut": "ok"})
	})
	serveur := &http.Server{Addr: ":" + port, Handler: routes, ReadHeaderTimeout: 5 * time.Second}

	arret, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go func() {
		log.Printf("prix-ttc écoute sur le port %s", port)
		if err := serveur.ListenAndServe(); err != nil && err != http.ErrServerClosed {
			log.Fatal(err)
		}
	}()
	<-arret.Done()
	log.Print("arrêt demandé, fermeture du serveur")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_ = serveur.Shutdown(ctx)
}
