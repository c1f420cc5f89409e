module prixttc

go 1.19
