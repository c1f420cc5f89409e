"""Réservations des salles de réunion de la médiathèque."""
