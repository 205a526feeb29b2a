"""Stage 3, check: a dossier's extracted facts + its checklist -> findings, verdict, support."""
