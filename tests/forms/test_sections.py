from forms.candidature import SECTIONS, CandidatureForm


def test_chaque_champ_saisi_appartient_a_une_seule_section():
    saisis = [n for n, i in CandidatureForm.model_fields.items() if not (i.json_schema_extra or {}).get("systeme")]
    ranges = [n for _, champs in SECTIONS for n in champs]
    assert sorted(ranges) == sorted(saisis)
