"""Guards of the closing (step 11): pure functions of a Situation (see workflow.noyau.regles)."""



from workflow.noyau.regles import Blocage, Situation


def ecarts_du_bilan(s: Situation) -> list[Blocage]:
    """A bilan goes through with its discrepancies, each flagged to the head now and kept for the DAEPS."""
    return [Blocage(f"Écart signalé : {ecart}", "avertissement") for ecart in s.form.ecarts]
