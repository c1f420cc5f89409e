"""python3 -m app : l'état des salles, pour l'environnement APP_ENV."""
import os

from app.salles import charger, libres

salles = charger()
environnement = os.environ.get("APP_ENV", "inconnu")
print(f"Réservations ({environnement}) : {len(libres(salles))} salles libres sur {len(salles)}")
for nom in libres(salles):
    print(f"  - {nom}")
