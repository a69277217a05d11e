"""What a public service owes its users beside the service itself: the accessibility statement (RGAA), built from the
measured audit, and the personal-data paperwork (RGPD)."""
